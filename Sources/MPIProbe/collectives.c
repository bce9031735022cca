/*
 * Collective wrappers. Each call on a communicator takes the next sequence number
 * there (1, 2, …); MPI requires every rank to call collectives in the same order,
 * so ranks stuck at different numbers, or in different calls at one number, are
 * the student's mismatch. `bytes` is this rank's own buffer: what it sends, or
 * what it receives when it sends in place or only receives.
 */
#include "probe_internal.h"

#define NO_ROOT PROBE_NO_ROOT

/* Runs `pmpi` between publishing the collective and counting it done. */
#define COLLECTIVE(call, comm, root, count, type, pmpi)              \
  do {                                                              \
    if (!probe_slot) return pmpi;                                   \
    struct probe_args a;                                            \
    probe_lock();                                                   \
    probe_args_coll(&a, call, comm, root, count, type);             \
    probe_begin(&a, PROBE_RET());                                   \
    int rc = pmpi;                                                  \
    probe_end();                                                    \
    return rc;                                                      \
  } while (0)

static int in_place(const void *buf) { return buf == MPI_IN_PLACE; }

int MPI_Barrier(MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_BARRIER, comm, NO_ROOT, 0, MPI_DATATYPE_NULL, PMPI_Barrier(comm));
}

int MPI_Bcast(void *buf, int count, MPI_Datatype type, int root, MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_BCAST, comm, root, count, type, PMPI_Bcast(buf, count, type, root, comm));
}

int MPI_Scatter(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                int root, MPI_Comm comm) {
  int inplace = in_place(rbuf);
  COLLECTIVE(HPCGRADE_CALL_SCATTER, comm, root, inplace ? scount : rcount, inplace ? stype : rtype,
             PMPI_Scatter(sbuf, scount, stype, rbuf, rcount, rtype, root, comm));
}

int MPI_Scatterv(const void *sbuf, const int scounts[], const int displs[], MPI_Datatype stype, void *rbuf,
                 int rcount, MPI_Datatype rtype, int root, MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_SCATTERV, comm, root, in_place(rbuf) ? 0 : rcount, rtype,
             PMPI_Scatterv(sbuf, scounts, displs, stype, rbuf, rcount, rtype, root, comm));
}

int MPI_Gather(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
               int root, MPI_Comm comm) {
  int inplace = in_place(sbuf);
  COLLECTIVE(HPCGRADE_CALL_GATHER, comm, root, inplace ? rcount : scount, inplace ? rtype : stype,
             PMPI_Gather(sbuf, scount, stype, rbuf, rcount, rtype, root, comm));
}

int MPI_Gatherv(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, const int rcounts[],
                const int displs[], MPI_Datatype rtype, int root, MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_GATHERV, comm, root, in_place(sbuf) ? 0 : scount, stype,
             PMPI_Gatherv(sbuf, scount, stype, rbuf, rcounts, displs, rtype, root, comm));
}

int MPI_Allgather(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                  MPI_Comm comm) {
  int inplace = in_place(sbuf);
  COLLECTIVE(HPCGRADE_CALL_ALLGATHER, comm, NO_ROOT, inplace ? rcount : scount, inplace ? rtype : stype,
             PMPI_Allgather(sbuf, scount, stype, rbuf, rcount, rtype, comm));
}

int MPI_Allgatherv(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, const int rcounts[],
                   const int displs[], MPI_Datatype rtype, MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_ALLGATHERV, comm, NO_ROOT, in_place(sbuf) ? 0 : scount, stype,
             PMPI_Allgatherv(sbuf, scount, stype, rbuf, rcounts, displs, rtype, comm));
}

int MPI_Reduce(const void *sbuf, void *rbuf, int count, MPI_Datatype type, MPI_Op op, int root, MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_REDUCE, comm, root, count, type, PMPI_Reduce(sbuf, rbuf, count, type, op, root, comm));
}

int MPI_Allreduce(const void *sbuf, void *rbuf, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  COLLECTIVE(HPCGRADE_CALL_ALLREDUCE, comm, NO_ROOT, count, type, PMPI_Allreduce(sbuf, rbuf, count, type, op, comm));
}

/* bytes: the block sent to each rank. */
int MPI_Alltoall(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                 MPI_Comm comm) {
  int inplace = in_place(sbuf);
  COLLECTIVE(HPCGRADE_CALL_ALLTOALL, comm, NO_ROOT, inplace ? rcount : scount, inplace ? rtype : stype,
             PMPI_Alltoall(sbuf, scount, stype, rbuf, rcount, rtype, comm));
}
