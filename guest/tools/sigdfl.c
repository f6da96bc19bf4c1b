// SPDX-License-Identifier: GPL-2.0
/*
 * sigdfl CMD...: run CMD with SIGINT and SIGQUIT at their defaults. A shell
 * without job control starts background commands with both ignored, and
 * the tests interrupt offlines with SIGINT (guest/run-tests.sh).
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 1;
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
