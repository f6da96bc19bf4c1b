#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include "../../../../mm/gup_test.h"

#define N 4096
static uint64_t pfns[N];

static void stat_pfns(const char *tag, char *mem, long ps)
{
	int fd = open("/proc/self/pagemap", O_RDONLY), i, runs = 1, groups = 0, low = 0;
	uint64_t e, minp = ~0ULL, maxp = 0;
	static char seen[1 << 20];

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N; i++) {
		pread(fd, &e, 8, ((uintptr_t)mem / ps + i) * 8);
		pfns[i] = e & ((1ULL << 55) - 1);
		if (i && pfns[i] != pfns[i - 1] + 1)
			runs++;
		if (!seen[(pfns[i] >> 6) & ((1 << 20) - 1)]++)
			groups++;
		if (pfns[i] < 0x100000)
			low++;
		if (pfns[i] < minp) minp = pfns[i];
		if (pfns[i] > maxp) maxp = pfns[i];
	}
	close(fd);
	printf("PFN %s: runs %d, memmap pages (64-pfn groups) %d, below 4G-dimm %d, span 0x%llx-0x%llx\n",
	       tag, runs, groups, low, (unsigned long long)minp, (unsigned long long)maxp);
}

int main(void)
{
	long ps = getpagesize();
	size_t len = N * ps;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct gup_test g = { 0 };
	int fd = open("/sys/kernel/debug/gup_test", O_RDWR);

	madvise(mem, len, MADV_NOHUGEPAGE);
	memset(mem, 0x44, len);
	stat_pfns("faulted", mem, ps);
	g.addr = (uintptr_t)mem;
	g.size = len;
	g.nr_pages_per_call = 512;
	g.gup_flags = 1; /* FOLL_WRITE */
	if (ioctl(fd, PIN_LONGTERM_BENCHMARK, &g))
		perror("PIN_LONGTERM_BENCHMARK");
	stat_pfns("after longterm pin", mem, ps);
	g.gup_flags |= 0x100; /* FOLL_LONGTERM for PIN_FAST */
	for (int r = 0; r < 5; r++) {
		if (ioctl(fd, PIN_FAST_BENCHMARK, &g))
			perror("PIN_FAST_BENCHMARK");
		printf("BENCH fast_pin_us %llu unpin %llu\n", (unsigned long long)g.get_delta_usec,
		       (unsigned long long)g.put_delta_usec);
	}
	return 0;
}
