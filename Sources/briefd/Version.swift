/// The version `briefd --version` prints.
enum BriefdVersion {
    /// The release, bumped by hand with each landing that changes the API, the schema or the configuration.
    /// (The git commit is not printed: SwiftPM offers no way to carry it into a build without a plugin.)
    static let release = "0.3.0"

    static var description: String { "briefd \(release)" }
}
