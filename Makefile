# Entry points; each is a small script in scripts/. See README.md.
SHELL := /bin/bash
S := scripts

.PHONY: all deps tree export status kernel selftests initramfs kunit guest-test \
	harness-test build-each checkpatch check demo bench mail clean

all: check

deps:
	@$(S)/deps.sh
tree:
	@$(S)/tree.sh
export:
	@$(S)/export.sh
status:
	@$(S)/status.sh
kernel:
	@$(S)/kernel.sh
selftests:
	@$(S)/selftests.sh
initramfs:
	@$(S)/initramfs.sh
checkpatch:
	@rm -f build/results.txt; $(S)/checkpatch.sh
kunit:
	@rm -f build/results.txt; $(S)/kunit.sh; cat build/results.txt
guest-test:
	@rm -f build/results.txt; $(S)/guest-test.sh $(ARGS); echo; cat build/results.txt
build-each:
	@$(S)/build-each.sh
harness-test:
	@rm -f build/results.txt; $(S)/harness-test.sh; cat build/results.txt
check:
	@$(S)/check.sh
demo:
	@$(S)/demo.sh
bench:
	@$(S)/bench.sh
mail:
	@$(S)/mail.sh
clean:
	rm -rf build/kobj build/selftests build/initramfs* build/guest-* build/results.txt
