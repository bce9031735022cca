/*
 * Point-to-point wrappers. Blocking calls are published before they start and
 * counted when they return; nonblocking posts go to the pending table; probes
 * count as progress only when they find a message.
 */
#include "probe_internal.h"

int MPI_Send(const void *buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  if (!probe_slot) return PMPI_Send(buf, count, type, dest, tag, comm);
  struct probe_args a;
  probe_lock();
  probe_args_p2p(&a, HPCGRADE_CALL_SEND, comm, dest, tag, count, type);
  if (probe_strict) a.flags |= HPCGRADE_FLAG_STRICT;
  probe_begin(&a, PROBE_RET());
  /* Strict: no eager buffering, so an unmatched send blocks whatever its size. */
  int rc = probe_strict ? PMPI_Ssend(buf, count, type, dest, tag, comm) : PMPI_Send(buf, count, type, dest, tag, comm);
  probe_end();
  return rc;
}

int MPI_Ssend(const void *buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm) {
  if (!probe_slot) return PMPI_Ssend(buf, count, type, dest, tag, comm);
  struct probe_args a;
  probe_lock();
  probe_args_p2p(&a, HPCGRADE_CALL_SSEND, comm, dest, tag, count, type);
  probe_begin(&a, PROBE_RET());
  int rc = PMPI_Ssend(buf, count, type, dest, tag, comm);
  probe_end();
  return rc;
}

int MPI_Recv(void *buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Status *status) {
  if (!probe_slot) return PMPI_Recv(buf, count, type, source, tag, comm, status);
  struct probe_args a;
  probe_lock();
  probe_args_p2p(&a, HPCGRADE_CALL_RECV, comm, source, tag, count, type);
  probe_begin(&a, PROBE_RET());
  int rc = PMPI_Recv(buf, count, type, source, tag, comm, status);
  probe_end();
  return rc;
}

/* peer/tag: the receive side (what the call waits for); send_peer/send_tag: the send. */
int MPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag, void *recvbuf,
                 int recvcount, MPI_Datatype recvtype, int source, int recvtag, MPI_Comm comm, MPI_Status *status) {
  if (!probe_slot)
    return PMPI_Sendrecv(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag,
                         comm, status);
  struct probe_args a;
  probe_lock();
  probe_args_p2p(&a, HPCGRADE_CALL_SENDRECV, comm, source, recvtag, sendcount, sendtype);
  a.send_peer = probe_peer(comm, probe_comm(comm), dest);
  a.send_tag = sendtag;
  probe_begin(&a, PROBE_RET());
  int rc = PMPI_Sendrecv(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag,
                         comm, status);
  probe_end();
  return rc;
}

int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status) {
  if (!probe_slot) return PMPI_Probe(source, tag, comm, status);
  struct probe_args a;
  probe_lock();
  probe_args_p2p(&a, HPCGRADE_CALL_PROBE, comm, source, tag, 0, MPI_DATATYPE_NULL);
  probe_begin(&a, PROBE_RET());
  int rc = PMPI_Probe(source, tag, comm, status);
  probe_end();
  return rc;
}

int MPI_Mprobe(int source, int tag, MPI_Comm comm, MPI_Message *message, MPI_Status *status) {
  if (!probe_slot) return PMPI_Mprobe(source, tag, comm, message, status);
  struct probe_args a;
  probe_lock();
  probe_args_p2p(&a, HPCGRADE_CALL_MPROBE, comm, source, tag, 0, MPI_DATATYPE_NULL);
  probe_begin(&a, PROBE_RET());
  int rc = PMPI_Mprobe(source, tag, comm, message, status);
  probe_end();
  return rc;
}

/* The message is already matched, so the source is not known here; it never waits long. */
int MPI_Mrecv(void *buf, int count, MPI_Datatype type, MPI_Message *message, MPI_Status *status) {
  if (!probe_slot) return PMPI_Mrecv(buf, count, type, message, status);
  struct probe_args a;
  probe_lock();
  probe_args_init(&a, HPCGRADE_CALL_MRECV);
  a.bytes = probe_bytes(count, type);
  probe_begin(&a, PROBE_RET());
  int rc = PMPI_Mrecv(buf, count, type, message, status);
  probe_end();
  return rc;
}

static void record_post(int rc, MPI_Request *req, int call, MPI_Comm comm, int peer, int tag, int count,
                        MPI_Datatype type) {
  if (rc != MPI_SUCCESS || *req == MPI_REQUEST_NULL || probe_mt) return;
  struct probe_args a;
  probe_args_p2p(&a, call, comm, peer, tag, count, type);
  probe_write_begin();
  probe_pending_post(*req, &a);
  probe_write_end();
}

int MPI_Isend(const void *buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request *req) {
  int rc = PMPI_Isend(buf, count, type, dest, tag, comm, req);
  if (probe_slot) record_post(rc, req, HPCGRADE_CALL_ISEND, comm, dest, tag, count, type);
  return rc;
}

int MPI_Issend(const void *buf, int count, MPI_Datatype type, int dest, int tag, MPI_Comm comm, MPI_Request *req) {
  int rc = PMPI_Issend(buf, count, type, dest, tag, comm, req);
  if (probe_slot) record_post(rc, req, HPCGRADE_CALL_ISSEND, comm, dest, tag, count, type);
  return rc;
}

int MPI_Irecv(void *buf, int count, MPI_Datatype type, int source, int tag, MPI_Comm comm, MPI_Request *req) {
  int rc = PMPI_Irecv(buf, count, type, source, tag, comm, req);
  if (probe_slot) record_post(rc, req, HPCGRADE_CALL_IRECV, comm, source, tag, count, type);
  return rc;
}

/* A probe that finds a message is progress; one that does not is a poll, so a rank
 * spinning on Iprobe shows as polling for a source rather than as computing. */
static void probe_result(int found, int call, int source, int tag, MPI_Comm comm, void *ret) {
  if (found) {
    probe_progress();
    return;
  }
  struct probe_args a;
  const char *site = probe_site();
  probe_lock();
  probe_args_p2p(&a, call, comm, source, tag, 0, MPI_DATATYPE_NULL);
  probe_write_begin();
  probe_poll_failed(&a, site, ret);
  probe_write_end();
  probe_unlock();
}

int MPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status) {
  int rc = PMPI_Iprobe(source, tag, comm, flag, status);
  if (probe_slot && rc == MPI_SUCCESS) probe_result(*flag, HPCGRADE_CALL_IPROBE, source, tag, comm, PROBE_RET());
  return rc;
}

int MPI_Improbe(int source, int tag, MPI_Comm comm, int *flag, MPI_Message *message, MPI_Status *status) {
  int rc = PMPI_Improbe(source, tag, comm, flag, message, status);
  if (probe_slot && rc == MPI_SUCCESS) probe_result(*flag, HPCGRADE_CALL_IMPROBE, source, tag, comm, PROBE_RET());
  return rc;
}
