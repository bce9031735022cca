import Foundation

/// How far a printed real number may stray from the expected one.
///
/// A value passes when `|got − expected| ≤ max(atol, rtol·|expected|)`: `atol` guards
/// values near zero, where a relative bound collapses, and `rtol` scales with magnitude.
/// Both default to 0, i.e. exact comparison. Integers never use a tolerance (see
/// `OutputComparison`), and nan/inf only ever match themselves.
public struct Tolerance: Codable, Sendable, Equatable {
  public var atol: Double
  public var rtol: Double

  public init(atol: Double = 0, rtol: Double = 0) {
    self.atol = atol
    self.rtol = rtol
  }

  public static let exact = Tolerance()

  /// Either key may be omitted in a rubric; a negative or non-finite bound is rejected
  /// at load time rather than silently passing or failing everything later.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    atol = try container.decodeIfPresent(Double.self, forKey: .atol) ?? 0
    rtol = try container.decodeIfPresent(Double.self, forKey: .rtol) ?? 0
    for (key, value) in [(CodingKeys.atol, atol), (.rtol, rtol)] where !(value.isFinite && value >= 0) {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container,
        debugDescription: "\(key.stringValue) must be a finite number ≥ 0, got \(value)")
    }
  }

  /// The largest |Δ| accepted around `expected`.
  public func allowance(for expected: Double) -> Double {
    max(atol, rtol * abs(expected))
  }

  /// Whether `got` is close enough to `expected`.
  ///
  /// A slack of two ulps absorbs the binary rounding of decimal text, so that a rubric's
  /// `atol: 0.1` accepts `1.1` for `1.0` as a human reading it would expect
  /// (in doubles, 1.1 − 1.0 is 0.10000000000000009). A zero tolerance stays bit-exact.
  /// Non-finite values match only an identical non-finite value (any nan matches any nan).
  public func accepts(got: Double, expected: Double) -> Bool {
    if got.isNaN || expected.isNaN { return got.isNaN && expected.isNaN }
    if !got.isFinite || !expected.isFinite { return got == expected }
    let delta = abs(got - expected)
    let allowed = allowance(for: expected)
    if delta <= allowed { return true }
    if allowed == 0 { return false }
    let slack = 2 * max(got.ulp, expected.ulp, allowed.ulp)
    return delta - allowed <= slack
  }
}
