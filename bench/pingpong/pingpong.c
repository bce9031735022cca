/* OSU-style ping-pong (cf. osu_latency) in plain C, the baseline for pingpong.swift.
 *
 * Rank 0 sends `size` bytes to rank 1, which sends them back; latency is half the
 * round trip. Prints one line per size: `size latency_us bandwidth_MBps`
 * (MB = 10^6 bytes, bandwidth = size / one-way time). Lines starting with # are
 * comments. Build: mpicc -O2 pingpong.c -o pingpong-c
 *
 * Must match pingpong.swift's buffer mode exactly:
 * - osu_latency's schedule: 10000 iterations + 100 warm-up up to 8 KiB, 1000 + 10
 *   above;
 * - a fresh malloc'd buffer per size, as `[UInt8](repeating: 1, count: size)` is
 *   (OSU reuses one page-aligned buffer);
 * - unlike osu_latency, the timed iterations run in BLOCKS equal blocks and the
 *   median block's mean is reported: with one rank per core on a 2-core machine
 *   any other task stalls a round trip for a whole time slice, and one such stall
 *   in a 5 ms window would move a plain mean by tens of percent.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_SIZE = 8, MAX_SIZE = 4 << 20, LARGE = 8192, BLOCKS = 10 };

static int iterations(int size) { return size <= LARGE ? 10000 : 1000; }
static int warmups(int size) { return size <= LARGE ? 100 : 10; }

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One round trip. */
static void round_trip(int rank, unsigned char *buf, int size) {
  if (rank == 0) {
    MPI_Send(buf, size, MPI_UINT8_T, 1, 1, MPI_COMM_WORLD);
    MPI_Recv(buf, size, MPI_UINT8_T, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(buf, size, MPI_UINT8_T, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Send(buf, size, MPI_UINT8_T, 0, 1, MPI_COMM_WORLD);
  }
}

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
  if (rank == 0) printf("# c size latency_us bandwidth_MBps\n");

  for (int size = MIN_SIZE; size <= MAX_SIZE; size *= 2) {
    unsigned char *buf = malloc(size);
    memset(buf, 1, size);
    int warm = warmups(size), per_block = iterations(size) / BLOCKS;
    double block_us[BLOCKS];
    MPI_Barrier(MPI_COMM_WORLD);
    for (int i = 0; i < warm; i++) round_trip(rank, buf, size);
    MPI_Barrier(MPI_COMM_WORLD);
    for (int b = 0; b < BLOCKS; b++) {
      double t0 = MPI_Wtime();
      for (int i = 0; i < per_block; i++) round_trip(rank, buf, size);
      block_us[b] = (MPI_Wtime() - t0) * 1e6 / (2.0 * per_block);
    }
    qsort(block_us, BLOCKS, sizeof block_us[0], compare);
    double latency_us = (block_us[BLOCKS / 2 - 1] + block_us[BLOCKS / 2]) / 2;
    if (rank == 0) {
      printf("%d %.3f %.2f\n", size, latency_us, size / latency_us);
      fflush(stdout);
    }
    free(buf);
  }
  MPI_Finalize();
  return 0;
}
