// swift-tools-version:6.0
import PackageDescription

// libFuzzer target for the scenario loader and validator (issue 9, build item 6).
// A package of its own so that the main build and `swift test` are unaffected; it depends on
// the main package by path. See README.md for the build and run commands
// (`swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`).
let package = Package(
    name: "SagstalFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "sagstal", path: "../.."),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "SagstalFuzz", dependencies: [
            "CFuzzerDriver",
            .product(name: "SagstalRunner", package: "sagstal"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
