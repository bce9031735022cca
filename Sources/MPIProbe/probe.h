/*
 * hpcgrade's MPI probe: the per-rank slot it shares with the grader.
 *
 * The probe (libmpiprobe.so, preloaded into every rank) maps the file
 * $HPCGRADE_PROBE_DIR/rank.<world rank> and keeps one `hpcgrade_probe_slot` in it
 * up to date: which MPI call the rank is in, with whom, since when, and from where.
 * The grader reads it from another process while the job runs (or after it was
 * killed) to tell a deadlock from a rank that computes or sleeps.
 *
 * This header is the single definition of the layout. The Swift reader
 * (GraderCore/Diagnose/ProbeSlots.swift) mirrors it with explicit offsets, and a
 * test compiles this header and checks every offset, size and constant below.
 *
 * Consistency: `seq` is a seqlock. The probe makes it odd before it writes and
 * even after; a reader copies the slot and keeps the copy only if `seq` was even
 * and unchanged across the copy.
 *
 * Only <stdint.h>, so the layout test compiles it with plain `cc`.
 */
#ifndef HPCGRADE_PROBE_H
#define HPCGRADE_PROBE_H

#include <stdint.h>

#define HPCGRADE_PROBE_MAGIC 0x48504347524f4245ull /* "EBORGCPH" in memory */
#define HPCGRADE_PROBE_VERSION 1
#define HPCGRADE_PROBE_SLOT_SIZE 4096
#define HPCGRADE_PROBE_SITE_LEN 120
#define HPCGRADE_PROBE_MAX_PENDING 32

/* Rank states. A zero-filled slot (file created, not yet written) is NOT_STARTED. */
#define HPCGRADE_STATE_NOT_STARTED 0
#define HPCGRADE_STATE_RUNNING 1   /* outside MPI (computing, sleeping, or polling) */
#define HPCGRADE_STATE_IN_MPI 2    /* inside `call` (MPI_Init and MPI_Finalize too) */
#define HPCGRADE_STATE_FINALIZED 3 /* MPI_Finalize returned */
#define HPCGRADE_STATE_EXITED 4    /* exit() without MPI_Finalize (never set on a signal) */

/* Special peers (peer, root, send_peer; world ranks otherwise). */
#define HPCGRADE_PEER_ANY (-1)  /* MPI_ANY_SOURCE */
#define HPCGRADE_PEER_NONE (-2) /* the call has no such peer */
#define HPCGRADE_PEER_NULL (-3) /* MPI_PROC_NULL */
/* Special tags. */
#define HPCGRADE_TAG_ANY (-1)  /* MPI_ANY_TAG */
#define HPCGRADE_TAG_NONE (-2) /* the call has no tag */

/* call.flags */
#define HPCGRADE_FLAG_STRICT 1u     /* MPI_Send forwarded to MPI_Ssend (HPCGRADE_STRICT_SENDS=1) */
#define HPCGRADE_FLAG_ADDRESS 2u    /* no call site from the program: `address` holds the return address */
#define HPCGRADE_FLAG_COLLECTIVE 4u /* coll_seq is valid */
/* pending[].flags */
#define HPCGRADE_PENDING_WAITED 1u  /* named in the blocking wait in progress */
#define HPCGRADE_PENDING_TESTED 2u  /* named in the test in progress (bookkeeping only) */

/* Call ids, and the names the reader shows. X(id, NAME, "MPI_Name") */
#define HPCGRADE_PROBE_CALLS(X)                                                     \
  X(0, NONE, "")                                                                    \
  X(1, INIT, "MPI_Init") X(2, INIT_THREAD, "MPI_Init_thread")                       \
  X(3, FINALIZE, "MPI_Finalize") X(4, SEND, "MPI_Send") X(5, SSEND, "MPI_Ssend")    \
  X(6, RECV, "MPI_Recv") X(7, SENDRECV, "MPI_Sendrecv") X(8, PROBE, "MPI_Probe")    \
  X(9, MPROBE, "MPI_Mprobe") X(10, MRECV, "MPI_Mrecv") X(11, WAIT, "MPI_Wait")      \
  X(12, WAITALL, "MPI_Waitall") X(13, WAITANY, "MPI_Waitany")                       \
  X(14, WAITSOME, "MPI_Waitsome") X(15, BARRIER, "MPI_Barrier")                     \
  X(16, BCAST, "MPI_Bcast") X(17, SCATTER, "MPI_Scatter")                           \
  X(18, SCATTERV, "MPI_Scatterv") X(19, GATHER, "MPI_Gather")                       \
  X(20, GATHERV, "MPI_Gatherv") X(21, ALLGATHER, "MPI_Allgather")                   \
  X(22, ALLGATHERV, "MPI_Allgatherv") X(23, REDUCE, "MPI_Reduce")                   \
  X(24, ALLREDUCE, "MPI_Allreduce") X(25, ALLTOALL, "MPI_Alltoall")                 \
  X(26, TEST, "MPI_Test") X(27, TESTANY, "MPI_Testany") X(28, TESTALL, "MPI_Testall") \
  X(29, TESTSOME, "MPI_Testsome") X(30, IPROBE, "MPI_Iprobe")                       \
  X(31, IMPROBE, "MPI_Improbe") X(32, ISEND, "MPI_Isend") X(33, IRECV, "MPI_Irecv") \
  X(34, ISSEND, "MPI_Issend") X(35, ABORT, "MPI_Abort")

#define HPCGRADE_CALL_ENUM(id, name, text) HPCGRADE_CALL_##name = id,
enum { HPCGRADE_PROBE_CALLS(HPCGRADE_CALL_ENUM) HPCGRADE_CALL_COUNT };
#undef HPCGRADE_CALL_ENUM

/* One MPI call: the blocking call in progress (or the last one), or the last
 * unsuccessful poll. 192 bytes. */
struct hpcgrade_probe_call {
  int32_t call;       /*   0 HPCGRADE_CALL_* */
  uint32_t flags;     /*   4 HPCGRADE_FLAG_* */
  int32_t peer;       /*   8 source or destination, world rank or HPCGRADE_PEER_* */
  int32_t tag;        /*  12 or HPCGRADE_TAG_* */
  int32_t root;       /*  16 rooted collectives: world rank, else HPCGRADE_PEER_NONE */
  uint32_t comm;      /*  20 0 = MPI_COMM_WORLD; others numbered 1, 2, … per rank in first use order */
  uint64_t coll_seq;  /*  24 collectives: 1 for the first collective on `comm`, 2 for the next, … */
  uint64_t bytes;     /*  32 count × type size of this rank's buffer (send side for sends) */
  double since;       /*  40 CLOCK_MONOTONIC seconds when the call started, to the kernel tick (_COARSE) */
  uint64_t address;   /*  48 return address into the caller, if FLAG_ADDRESS */
  int32_t send_peer;  /*  56 MPI_Sendrecv's destination */
  int32_t send_tag;   /*  60 MPI_Sendrecv's send tag */
  uint32_t requests;  /*  64 requests passed to a wait or test call */
  uint32_t reserved;  /*  68 */
  char site[HPCGRADE_PROBE_SITE_LEN]; /* 72 "main.swift:14" from the program, NUL-terminated */
};

/* A nonblocking operation posted (Isend/Issend/Irecv) and not yet completed. 32 bytes. */
struct hpcgrade_probe_request {
  uint64_t handle;  /*  0 MPI_Request bits; 0 = free entry */
  int32_t peer;     /*  8 */
  int32_t tag;      /* 12 */
  uint32_t comm;    /* 16 */
  uint16_t call;    /* 20 HPCGRADE_CALL_ISEND, _ISSEND or _IRECV */
  uint16_t flags;   /* 22 HPCGRADE_PENDING_* */
  uint64_t bytes;   /* 24 */
};

struct hpcgrade_probe_slot {
  uint64_t magic;           /*   0 HPCGRADE_PROBE_MAGIC */
  uint32_t version;         /*   8 HPCGRADE_PROBE_VERSION */
  uint32_t size;            /*  12 sizeof(struct hpcgrade_probe_slot) */
  uint64_t seq;             /*  16 seqlock: odd while the probe writes */
  int32_t rank;             /*  24 world rank */
  int32_t world_size;       /*  28 */
  int32_t pid;              /*  32 as the rank sees it (inside the run's PID namespace) */
  int32_t state;            /*  36 HPCGRADE_STATE_* */
  int32_t exit_status;      /*  40 exit() status or MPI_Abort code; -1 until then */
  int32_t thread_level;     /*  44 MPI_THREAD_* provided */
  uint64_t progress;        /*  48 MPI calls completed: blocking calls, successful tests and probes */
  uint64_t polls;           /*  56 unsuccessful Test, Iprobe or Improbe since the last progress */
  double started;           /*  64 CLOCK_MONOTONIC seconds when the probe opened the slot */
  uint64_t image_base;      /*  72 load address of `image`, to turn `address` into a file offset */
  uint32_t inflight;        /*  80 threads inside a blocking call (>1 only with MPI_THREAD_MULTIPLE) */
  uint32_t npending;        /*  84 pending[0..npending) may hold entries */
  uint32_t pending_dropped; /*  88 posts not recorded because pending[] was full */
  uint32_t reserved0;       /*  92 */
  char host[64];            /*  96 gethostname */
  char affinity[128];       /* 160 sched_getaffinity as a list, e.g. "0-1" or "0,2" */
  char image[256];          /* 288 file of the code that called MPI_Init (dladdr) */
  struct hpcgrade_probe_call call; /* 544 current blocking call if IN_MPI, else the last one */
  struct hpcgrade_probe_call poll; /* 736 last unsuccessful poll; poll.since = first since progress */
  struct hpcgrade_probe_request pending[HPCGRADE_PROBE_MAX_PENDING]; /* 928 */
  uint8_t reserved[HPCGRADE_PROBE_SLOT_SIZE - 1952]; /* 1952 */
};

_Static_assert(sizeof(struct hpcgrade_probe_call) == 192, "call record is 192 bytes");
_Static_assert(sizeof(struct hpcgrade_probe_request) == 32, "request record is 32 bytes");
_Static_assert(sizeof(struct hpcgrade_probe_slot) == HPCGRADE_PROBE_SLOT_SIZE, "slot is one page");

#endif
