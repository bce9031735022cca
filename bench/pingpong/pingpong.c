/* OSU-style ping-pong (cf. osu_latency) in plain C, the baseline for pingpong.swift.
 *
 * Rank 0 sends `size` bytes to rank 1, which sends them back; latency is half the
 * round trip. Prints one line per size: `size latency_us bandwidth_MBps`
 * (MB = 10^6 bytes, bandwidth = size / one-way time). Lines starting with # are
 * comments. Build: mpicc -O2 pingpong.c -o pingpong-c
 *
 * The iteration schedule (osu_latency's: 10000 + 100 warm-up up to 8 KiB,
 * 1000 + 10 above) must match pingpong.swift's buffer mode exactly.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_SIZE = 8, MAX_SIZE = 4 << 20, LARGE = 8192 };

static int iterations(int size) { return size <= LARGE ? 10000 : 1000; }
static int warmups(int size) { return size <= LARGE ? 100 : 10; }

int main(int argc, char **argv) {
  int provided, rank, nranks;
  /* The Swift module initialises with MPI_THREAD_FUNNELED; do the same. */
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  if (nranks != 2) {
    if (rank == 0) fprintf(stderr, "pingpong: needs exactly 2 ranks, got %d\n", nranks);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  /* Plain malloc, like the Swift array (no page alignment, unlike OSU). */
  unsigned char *buf = malloc(MAX_SIZE);
  memset(buf, 1, MAX_SIZE);
  if (rank == 0) printf("# c size latency_us bandwidth_MBps\n");

  for (int size = MIN_SIZE; size <= MAX_SIZE; size *= 2) {
    int warm = warmups(size), iters = iterations(size);
    double t0 = 0;
    MPI_Barrier(MPI_COMM_WORLD);
    for (int i = 0; i < warm + iters; i++) {
      if (i == warm) t0 = MPI_Wtime();
      if (rank == 0) {
        MPI_Send(buf, size, MPI_UINT8_T, 1, 1, MPI_COMM_WORLD);
        MPI_Recv(buf, size, MPI_UINT8_T, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      } else {
        MPI_Recv(buf, size, MPI_UINT8_T, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        MPI_Send(buf, size, MPI_UINT8_T, 0, 1, MPI_COMM_WORLD);
      }
    }
    double latency_us = (MPI_Wtime() - t0) * 1e6 / (2.0 * iters);
    if (rank == 0) {
      printf("%d %.3f %.2f\n", size, latency_us, size / latency_us);
      fflush(stdout);
    }
  }
  free(buf);
  MPI_Finalize();
  return 0;
}
