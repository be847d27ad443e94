/// The limits the command line checks its own options against (`--years`, `--replications`),
/// the same as validation's (docs/model.md, "Limits").
public enum ScenarioLimits {
    /// The longest horizon, in years.
    public static var years: Double { Limits.years }
    /// The most replications.
    public static var replications: Int { Limits.replications }
}
