// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocation and free cost: fault in N MiB of anonymous memory page
 * by page, then unmap it (which frees every page). Prints the median time
 * of 7 rounds in milliseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int cmp(const void *a, const void *b)
{
	return *(const long long *)a - *(const long long *)b;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 128, len = mib << 20, i;
	long long t[7];
	int r;

	for (r = 0; r < 7; r++) {
		long long t0 = now_us();
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		madvise(p, len, MADV_NOHUGEPAGE);
		for (i = 0; i < len; i += 4096)
			p[i] = 1;
		munmap(p, len);
		t[r] = now_us() - t0;
	}
	qsort(t, 7, sizeof(t[0]), cmp);
	printf("%.1f\n", t[3] / 1000.0);
	return 0;
}
