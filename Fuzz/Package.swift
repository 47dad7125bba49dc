// swift-tools-version:6.0
// libFuzzer targets for Quadra's readers, built only by Scripts/fuzz.sh (never by the main package's
// `swift build`): one executable, the target chosen by QUADRA_FUZZ_TARGET, instrumented with
// `swiftc -sanitize=fuzzer,address`.
import PackageDescription

let package = Package(
    name: "QuadraFuzz",
    dependencies: [.package(name: "Quadra", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "QuadraFuzz",
            dependencies: ["CFuzzDriver", .product(name: "QuadraKit", package: "Quadra")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
