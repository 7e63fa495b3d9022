import Foundation

// smtpx-fuzz TARGET [ARGUMENTS…]
//
// Built as usual, it runs each file (or every file of each folder) given after TARGET through
// the target: the seed corpora as regression tests. Built by `scripts/fuzz` (with
// `-sanitize=fuzzer,address` and `-DFUZZING`), it hands TARGET to libFuzzer, with the arguments
// after it (`-max_total_time=30 CORPUS`).

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

nonisolated(unsafe) var selected: FuzzTarget?

/// What libFuzzer calls for each input (its own `main`, which smtpx's replaces, needs the name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected?.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#endif

@main
struct Fuzz {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTarget.find(arguments[1]) else {
            let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
            FileHandle.standardError.write(Data("usage: smtpx-fuzz TARGET [FILES or libFuzzer arguments]; targets: \(names)\n".utf8))
            exit(64)
        }
        #if FUZZING
        selected = target
        // libFuzzer sees the program name and the arguments after TARGET.
        var argv: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
        var argc = Int32(argv.count - 1)
        let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var pointer = buffer.baseAddress!
            return LLVMFuzzerRunDriver(&argc, &pointer) { data, size in fuzzOne(data, size) }
        }
        exit(status)
        #else
        var count = 0
        for path in arguments.dropFirst(2) {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(target.name): \(count) inputs, every invariant held")
        #endif
    }
}
