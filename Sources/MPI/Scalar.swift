import CMPI

/// A type the buffer API sends as raw memory, with its matching MPI datatype.
///
///     comm.send(buffer: [1.0, 2.0] as [Double], to: 1)
public protocol MPIScalar: Codable, Sendable {
  /// The MPI datatype describing one element.
  static var mpiDatatype: MPI_Datatype { get }
}

extension Double: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_double() } }
extension Float: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_float() } }
extension Int: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int64() } }
extension Int8: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int8() } }
extension Int16: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int16() } }
extension Int32: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int32() } }
extension Int64: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_int64() } }
extension UInt: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint64() } }
extension UInt8: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint8() } }
extension UInt16: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint16() } }
extension UInt32: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint32() } }
extension UInt64: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_uint64() } }
extension Bool: MPIScalar { public static var mpiDatatype: MPI_Datatype { cmpi_bool() } }

/// A reduction applied element-wise across ranks.
///
///     let total = comm.allreduce(x, op: .sum)
public enum ReductionOp: Sendable {
  /// Adds the values.
  case sum
  /// Multiplies the values.
  case prod
  /// Keeps the smallest value.
  case min
  /// Keeps the largest value.
  case max

  var mpiOp: MPI_Op {
    switch self {
    case .sum: cmpi_op_sum()
    case .prod: cmpi_op_prod()
    case .min: cmpi_op_min()
    case .max: cmpi_op_max()
    }
  }

  /// The same operation in Swift, for values reduced as objects.
  func combine<T: Numeric & Comparable>(_ a: T, _ b: T) -> T {
    switch self {
    case .sum: a + b
    case .prod: a * b
    case .min: Swift.min(a, b)
    case .max: Swift.max(a, b)
    }
  }
}
