/* Benchmark workload: N x (open("/etc/hostname") + close). Prints nothing; exit 0. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], 0, 10) : 100000;
  for (long i = 0; i < n; i++) {
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd >= 0) close(fd);
  }
  return 0;
}
