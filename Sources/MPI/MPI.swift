import CMPI

#if canImport(Glibc)
  import Glibc
#endif

/// The entry point of the MPI module: the world communicator, the clock and abort.
///
/// MPI starts on first use and shuts down when the program exits, so a program
/// needs no setup: `print(MPI.world.rank)`.
public enum MPI {
  /// Every process of the job, like mpi4py's `MPI.COMM_WORLD`.
  ///
  ///     let comm = MPI.world
  public static var world: Communicator { Runtime.shared.world }

  /// Matches a message from any rank in `recv(_:from:tag:)`.
  ///
  ///     let x = comm.recv(Int.self, from: MPI.anySource)
  public static let anySource = Int(MPI_ANY_SOURCE)

  /// Matches a message with any tag in `recv(_:from:tag:)`.
  ///
  ///     let x = comm.recv(Int.self, tag: MPI.anyTag)
  public static let anyTag = Int(MPI_ANY_TAG)

  /// Seconds since an arbitrary point in the past, from MPI's high-resolution clock.
  ///
  ///     let t0 = MPI.wtime(); work(); print(MPI.wtime() - t0)
  public static func wtime() -> Double {
    _ = Runtime.shared
    return MPI_Wtime()
  }

  /// Stops every rank of the job at once with the given exit code.
  ///
  ///     if badInput { MPI.abort(code: 3) }
  public static func abort(code: Int = 1) -> Never {
    MPI_Abort(Runtime.shared.world.handle, Int32(truncatingIfNeeded: code))
    exit(Int32(truncatingIfNeeded: code))
  }
}

/// Owns MPI's lifetime: initialised by the first `MPI.world`, finalised at exit.
final class Runtime: Sendable {
  static let shared = Runtime()
  let world: Communicator

  private init() {
    var initialized: Int32 = 0
    MPI_Initialized(&initialized)
    if initialized == 0 {
      var provided: Int32 = 0
      let code = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided)
      if code != MPI_SUCCESS {
        writeToStandardError("MPI error: MPI_Init failed: \(errorString(code))\n")
        exit(1)
      }
      // A clean exit finalises; exit(n) with n ≠ 0 on one rank ends the whole
      // job with that code, as a student expects, instead of leaving the other
      // ranks waiting in MPI_Finalize for this one.
      on_exit({ status, _ in
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        guard finalized == 0 else { return }
        if status == 0 { MPI_Finalize() } else { MPI_Abort(cmpi_comm_world(), status) }
      }, nil)
    }
    // Report errors to us, so the message can name the caller's line.
    MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return())
    world = Communicator(handle: cmpi_comm_world())
  }
}
