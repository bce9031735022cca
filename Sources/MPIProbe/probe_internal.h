/*
 * What the probe's C files share: the mapped slot, the seqlock, and the helpers
 * that turn a call's arguments into a record. Not part of the slot layout.
 */
#ifndef HPCGRADE_PROBE_INTERNAL_H
#define HPCGRADE_PROBE_INTERNAL_H

#include <mpi.h>
#include <string.h>
#include <time.h>

#include "probe.h"

/* Hidden: a preloaded symbol would otherwise interpose a student's function of the same name. */
#pragma GCC visibility push(hidden)

#define PROBE_RET() __builtin_return_address(0)
/* probe_args_coll's root for unrooted collectives (MPI_PROC_NULL is a valid root). */
#define PROBE_NO_ROOT (-2147483647 - 1)

/* NULL until MPI_Init found $HPCGRADE_PROBE_DIR: then every wrapper just forwards. */
extern struct hpcgrade_probe_slot *probe_slot;
extern int probe_strict;  /* HPCGRADE_STRICT_SENDS=1 */
extern int probe_mt;      /* MPI_THREAD_MULTIPLE: writers must take the lock */
extern int probe_lock_word;
/* The record the Swift MPI module keeps of the call in progress, found once at init
 * through the program's `hpcgrade_mpi_call_site` (Swift programs only). */
struct hpcgrade_call_site {
  const char *file_id; /* "main/main.swift", a string literal of the program */
  long line;
};
extern const struct hpcgrade_call_site *probe_site_record;

/* A communicator's probe identity, kept as an MPI attribute on it. */
struct probe_comm {
  uint32_t id;
  uint64_t coll_seq;
  MPI_Group group; /* to translate ranks to world ranks; remote group of an intercommunicator */
  int group_size;
};

/* A call's record before it is published (computed outside the seqlock window). */
struct probe_args {
  int32_t call, peer, tag, root, send_peer, send_tag;
  uint32_t flags, comm, requests;
  uint64_t coll_seq, bytes;
};

struct probe_comm *probe_comm(MPI_Comm comm);
int32_t probe_peer(MPI_Comm comm, struct probe_comm *info, int rank);
uint64_t probe_bytes(int count, MPI_Datatype type);
void probe_args_init(struct probe_args *a, int call);
void probe_args_p2p(struct probe_args *a, int call, MPI_Comm comm, int peer, int tag, int count, MPI_Datatype type);
void probe_args_coll(struct probe_args *a, int call, MPI_Comm comm, int root, int count, MPI_Datatype type);
void probe_fill_call(struct hpcgrade_probe_call *c, const struct probe_args *a, const char *site, void *ret);
/* Publishes `a` as the call in progress (state IN_MPI) and releases the lock the
 * caller took before computing `a`. With requests, marks those pending as waited
 * on and takes the call's peer from the first one. */
void probe_begin_with(struct probe_args *a, void *ret, const MPI_Request *reqs, int n);
static inline void probe_begin(struct probe_args *a, void *ret) { probe_begin_with(a, ret, NULL, 0); }
/* The call returned: progress += 1, state RUNNING once no thread is inside; with
 * requests, forgets those that completed (now MPI_REQUEST_NULL). */
void probe_end_with(const MPI_Request *reqs, int n);
static inline void probe_end(void) { probe_end_with(NULL, 0); }

/* The pending-request table (requests.c); call inside a write section. */
void probe_pending_post(MPI_Request req, const struct probe_args *a);
void probe_pending_mark(const MPI_Request *reqs, int n, struct probe_args *a, uint16_t flag);
void probe_pending_settle(const MPI_Request *reqs, int n);
/* Records an unsuccessful Test/Iprobe/Improbe; call inside a write section. */
void probe_poll_failed(const struct probe_args *a, const char *site, void *ret);

static inline double probe_clock(clockid_t clock) {
  struct timespec ts; /* vDSO: no system call */
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
/* CLOCK_MONOTONIC to the kernel tick (a few ms): ample for "blocked for 3 s", and
 * 5x cheaper per call than the precise read. */
static inline double probe_now(void) { return probe_clock(CLOCK_MONOTONIC_COARSE); }

/* The program's call site as "main.swift:14", or NULL for programs that name none. */
const char *probe_site(void);

/* Only MPI_THREAD_MULTIPLE has concurrent writers; a seqlock allows one. */
static inline void probe_lock(void) {
  if (probe_mt)
    while (__atomic_exchange_n(&probe_lock_word, 1, __ATOMIC_ACQUIRE)) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
}
static inline void probe_unlock(void) {
  if (probe_mt) __atomic_store_n(&probe_lock_word, 0, __ATOMIC_RELEASE);
}

/* Seqlock writer: odd while the plain stores in between are in flight. */
static inline void probe_write_begin(void) {
  uint64_t s = __atomic_load_n(&probe_slot->seq, __ATOMIC_RELAXED);
  __atomic_store_n(&probe_slot->seq, s + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
}
static inline void probe_write_end(void) {
  uint64_t s = __atomic_load_n(&probe_slot->seq, __ATOMIC_RELAXED);
  __atomic_store_n(&probe_slot->seq, s + 1, __ATOMIC_RELEASE);
}

/* Records a completion outside a blocking call (a successful test or probe). */
static inline void probe_progress(void) {
  probe_lock();
  probe_write_begin();
  probe_slot->progress++;
  probe_slot->polls = 0;
  probe_write_end();
  probe_unlock();
}

#pragma GCC visibility pop

#endif
