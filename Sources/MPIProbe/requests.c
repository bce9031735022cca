/*
 * Nonblocking requests: the pending table in the slot (what each Isend/Irecv
 * still waits for), and the wait and test wrappers that consume it. Entries are
 * keyed by the MPI_Request value; Open MPI reuses request objects, so a new post
 * with the same value replaces an entry whose completion we did not see (e.g. a
 * request completed by a call we do not wrap). Persistent requests are not
 * tracked. Not kept under MPI_THREAD_MULTIPLE, where "waited on by this call"
 * cannot be told apart between threads.
 */
#include "probe_internal.h"

static uint64_t handle_bits(MPI_Request req) {
  uint64_t bits = 0;
  memcpy(&bits, &req, sizeof req < sizeof bits ? sizeof req : sizeof bits);
  return bits;
}

void probe_pending_post(MPI_Request req, const struct probe_args *a) {
  struct hpcgrade_probe_slot *s = probe_slot;
  uint64_t h = handle_bits(req);
  uint32_t free_at = s->npending;
  for (uint32_t i = 0; i < s->npending; i++) {
    if (s->pending[i].handle == h) { free_at = i; break; }
    if (s->pending[i].handle == 0 && free_at == s->npending) free_at = i;
  }
  if (free_at == HPCGRADE_PROBE_MAX_PENDING) {
    s->pending_dropped++;
    return;
  }
  if (free_at == s->npending) s->npending++;
  s->pending[free_at] = (struct hpcgrade_probe_request){
      .handle = h, .peer = a->peer, .tag = a->tag, .comm = a->comm, .call = (uint16_t)a->call, .bytes = a->bytes};
}

/* Flags the entries `reqs` names; the first one gives the call its peer. */
void probe_pending_mark(const MPI_Request *reqs, int n, struct probe_args *a, uint16_t flag) {
  struct hpcgrade_probe_slot *s = probe_slot;
  int first = 1;
  for (int k = 0; k < n; k++) {
    uint64_t h = handle_bits(reqs[k]);
    if (h == handle_bits(MPI_REQUEST_NULL)) continue;
    for (uint32_t i = 0; i < s->npending; i++) {
      struct hpcgrade_probe_request *e = &s->pending[i];
      if (e->handle != h) continue;
      e->flags |= flag;
      if (first) {
        a->peer = e->peer, a->tag = e->tag, a->comm = e->comm, a->bytes = e->bytes;
        first = 0;
      }
      break;
    }
  }
}

/* After a wait or test: a flagged entry whose handle is gone from `reqs` completed. */
void probe_pending_settle(const MPI_Request *reqs, int n) {
  struct hpcgrade_probe_slot *s = probe_slot;
  for (uint32_t i = 0; i < s->npending; i++) {
    struct hpcgrade_probe_request *e = &s->pending[i];
    const uint16_t marks = HPCGRADE_PENDING_WAITED | HPCGRADE_PENDING_TESTED;
    if (!(e->flags & marks)) continue;
    e->flags &= (uint16_t)~marks;
    int open = 0;
    for (int k = 0; k < n && !open; k++) open = handle_bits(reqs[k]) == e->handle;
    if (!open) memset(e, 0, sizeof *e);
  }
  while (s->npending > 0 && s->pending[s->npending - 1].handle == 0) s->npending--;
}

void probe_poll_failed(const struct probe_args *a, const char *site, void *ret) {
  struct hpcgrade_probe_slot *s = probe_slot;
  double since = s->polls ? s->poll.since : probe_now();
  probe_fill_call(&s->poll, a, site, ret);
  s->poll.since = since;
  s->polls++;
}

/* Wait family: blocking, published like any blocking call. */
#define WAIT_BEGIN(call, reqs, n)                           \
  struct probe_args a;                                     \
  probe_lock();                                            \
  probe_args_init(&a, call);                               \
  a.requests = (uint32_t)(n);                              \
  probe_begin_with(&a, PROBE_RET(), probe_mt ? NULL : (reqs), (n))

int MPI_Wait(MPI_Request *req, MPI_Status *status) {
  if (!probe_slot) return PMPI_Wait(req, status);
  WAIT_BEGIN(HPCGRADE_CALL_WAIT, req, 1);
  int rc = PMPI_Wait(req, status);
  probe_end_with(probe_mt ? NULL : req, 1);
  return rc;
}

int MPI_Waitall(int n, MPI_Request reqs[], MPI_Status statuses[]) {
  if (!probe_slot) return PMPI_Waitall(n, reqs, statuses);
  WAIT_BEGIN(HPCGRADE_CALL_WAITALL, reqs, n);
  int rc = PMPI_Waitall(n, reqs, statuses);
  probe_end_with(probe_mt ? NULL : reqs, n);
  return rc;
}

int MPI_Waitany(int n, MPI_Request reqs[], int *index, MPI_Status *status) {
  if (!probe_slot) return PMPI_Waitany(n, reqs, index, status);
  WAIT_BEGIN(HPCGRADE_CALL_WAITANY, reqs, n);
  int rc = PMPI_Waitany(n, reqs, index, status);
  probe_end_with(probe_mt ? NULL : reqs, n);
  return rc;
}

int MPI_Waitsome(int n, MPI_Request reqs[], int *outcount, int indices[], MPI_Status statuses[]) {
  if (!probe_slot) return PMPI_Waitsome(n, reqs, outcount, indices, statuses);
  WAIT_BEGIN(HPCGRADE_CALL_WAITSOME, reqs, n);
  int rc = PMPI_Waitsome(n, reqs, outcount, indices, statuses);
  probe_end_with(probe_mt ? NULL : reqs, n);
  return rc;
}

/* Test family: not blocking. Success is progress; failure is a poll on the first
 * request still pending, so a rank spinning on MPI_Test shows whom it waits for. */
static void test_begin(const MPI_Request *reqs, int n, struct probe_args *a, int call) {
  probe_args_init(a, call);
  a->requests = (uint32_t)n;
  if (probe_mt || !probe_slot->npending) return;
  probe_lock();
  probe_write_begin();
  probe_pending_mark(reqs, n, a, HPCGRADE_PENDING_TESTED);
  probe_write_end();
  probe_unlock();
}

static void test_end(const MPI_Request *reqs, int n, int rc, int done, struct probe_args *a, void *ret) {
  const char *site = rc == MPI_SUCCESS && !done ? probe_site() : NULL;
  probe_lock();
  probe_write_begin();
  if (!probe_mt && probe_slot->npending) probe_pending_settle(reqs, n);
  if (rc == MPI_SUCCESS && done) {
    probe_slot->progress++;
    probe_slot->polls = 0;
  } else if (rc == MPI_SUCCESS) {
    probe_poll_failed(a, site, ret);
  }
  probe_write_end();
  probe_unlock();
}

int MPI_Test(MPI_Request *req, int *flag, MPI_Status *status) {
  if (!probe_slot) return PMPI_Test(req, flag, status);
  struct probe_args a;
  test_begin(req, 1, &a, HPCGRADE_CALL_TEST);
  int rc = PMPI_Test(req, flag, status);
  test_end(req, 1, rc, *flag, &a, PROBE_RET());
  return rc;
}

int MPI_Testany(int n, MPI_Request reqs[], int *index, int *flag, MPI_Status *status) {
  if (!probe_slot) return PMPI_Testany(n, reqs, index, flag, status);
  struct probe_args a;
  test_begin(reqs, n, &a, HPCGRADE_CALL_TESTANY);
  int rc = PMPI_Testany(n, reqs, index, flag, status);
  test_end(reqs, n, rc, *flag && *index != MPI_UNDEFINED, &a, PROBE_RET());
  return rc;
}

int MPI_Testall(int n, MPI_Request reqs[], int *flag, MPI_Status statuses[]) {
  if (!probe_slot) return PMPI_Testall(n, reqs, flag, statuses);
  struct probe_args a;
  test_begin(reqs, n, &a, HPCGRADE_CALL_TESTALL);
  int rc = PMPI_Testall(n, reqs, flag, statuses);
  test_end(reqs, n, rc, *flag, &a, PROBE_RET());
  return rc;
}

int MPI_Testsome(int n, MPI_Request reqs[], int *outcount, int indices[], MPI_Status statuses[]) {
  if (!probe_slot) return PMPI_Testsome(n, reqs, outcount, indices, statuses);
  struct probe_args a;
  test_begin(reqs, n, &a, HPCGRADE_CALL_TESTSOME);
  int rc = PMPI_Testsome(n, reqs, outcount, indices, statuses);
  test_end(reqs, n, rc, *outcount > 0 && *outcount != MPI_UNDEFINED, &a, PROBE_RET());
  return rc;
}

/* A freed request will never be waited on: forget it. */
int MPI_Request_free(MPI_Request *req) {
  if (!probe_slot || probe_mt || !probe_slot->npending) return PMPI_Request_free(req);
  uint64_t h = handle_bits(*req);
  int rc = PMPI_Request_free(req);
  probe_write_begin();
  for (uint32_t i = 0; i < probe_slot->npending; i++)
    if (probe_slot->pending[i].handle == h) memset(&probe_slot->pending[i], 0, sizeof probe_slot->pending[i]);
  while (probe_slot->npending > 0 && probe_slot->pending[probe_slot->npending - 1].handle == 0) probe_slot->npending--;
  probe_write_end();
  return rc;
}
