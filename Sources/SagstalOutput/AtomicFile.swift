import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors while writing output files.
public enum OutputError: Error, Equatable, CustomStringConvertible {
    /// A system call failed on `path`.
    case io(operation: String, path: String, errno: Int32)
    /// The output directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The output folder exists, is not empty and has none of sagstal's marker files.
    case notAnOutputFolder(path: String)
    /// The output folder holds the outputs of a different run (``OutputFolder/checkReplaceable(_:by:force:)``).
    case holdsAnotherRun(path: String, reason: String)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .cannotCreateDirectory(let path, let reason):
            return "\(path): cannot create the output directory: \(reason)"
        case .notAnOutputFolder(let path):
            return "\(path): the folder exists and sagstal did not write it (it has none of \(OutputFolder.markers.joined(separator: ", ")) in it); "
                + "sagstal replaces whole output folders, so choose a new --output or empty this one first"
        case .holdsAnotherRun(let path, let reason):
            return "\(path): the folder holds the outputs of a different run (\(reason)); "
                + "two runs with different assumptions must not share a folder, so choose another --output, "
                + "or add --force to replace it"
        }
    }
}

extension OutputError {
    /// `error` as an ``OutputError/io(operation:path:errno:)`` with the operating system's
    /// error code where Foundation recorded one (an NSError of NSPOSIXErrorDomain, or one
    /// underlying a Cocoa file error), EIO otherwise; an ``OutputError`` is returned as it is.
    public static func from(_ error: Error, operation: String, path: String) -> OutputError {
        if let e = error as? OutputError { return e }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return .io(operation: operation, path: path, errno: Int32(ns.code)) }
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return .io(operation: operation, path: path, errno: Int32(u.code))
        }
        return .io(operation: operation, path: path, errno: EIO)
    }
}

/// Writes files atomically: to a temporary name in the target's directory, then `rename(2)`.
///
/// A reader sees either the old file or the complete new one, never a partial
/// file; a failure leaves no temporary file behind.
public enum AtomicFile {
    /// Writes one file atomically.
    ///
    /// - Parameters:
    ///   - data: the complete contents.
    ///   - url: the file URL to create or replace; its directory must exist.
    /// - Throws: ``OutputError/io(operation:path:errno:)`` when writing or renaming fails.
    public static func write(_ data: Data, to url: URL) throws {
        try write([(url, data)])
    }

    /// Writes several files as nearly all-or-nothing as POSIX allows: every file is
    /// first written (and flushed) under a temporary name beside its target; only when
    /// all are written are they renamed into place, one by one.
    ///
    /// If any temporary file fails, none of the targets is touched and the temporary
    /// files are removed. (A failing rename — unlikely within one directory — can
    /// leave earlier targets renamed; each target is still whole.)
    ///
    /// - Parameter files: target URLs and their complete contents.
    /// - Throws: ``OutputError/io(operation:path:errno:)``.
    public static func write(_ files: [(url: URL, data: Data)]) throws {
        var staged: [(temp: String, target: String)] = []
        var committed = 0
        var unflushed: [(target: String, root: String)] = []
        defer {
            for (temp, _) in staged.dropFirst(committed) { unlink(temp) }
        }
        for (url, data) in files {
            let target = url.path
            let dir = url.deletingLastPathComponent().path
            let temp = dir + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString
            // Inside an uncommitted OutputFolder the folder's commit flushes its files together.
            let root = OutputFolder.stagingRoot(of: dir)
            try writeNew(data, to: temp, flush: root == nil)
            staged.append((temp, target))
            if let root { unflushed.append((target, root)) }
        }
        for (temp, target) in staged {
            guard rename(temp, target) == 0 else {
                throw OutputError.io(operation: "rename", path: target, errno: errno)
            }
            committed += 1
        }
        for (target, root) in unflushed { OutputFolder.flushAtCommit([target], in: root) }
    }

    /// Creates `path` exclusively, writes `data`, flushes it to disk (unless `flush` is false:
    /// files in an ``OutputFolder``'s hidden folder, which its commit flushes) and closes it;
    /// removes the file on failure.
    private static func writeNew(_ data: Data, to path: String, flush: Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OutputError.io(operation: "create", path: path, errno: errno) }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(path) }
        }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var done = 0
            while done < raw.count {
                let k = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
                if k < 0 {
                    if errno == EINTR { continue }
                    throw OutputError.io(operation: "write", path: path, errno: errno)
                }
                done += k
            }
        }
        if flush {
            guard fsync(fd) == 0 else { throw OutputError.io(operation: "fsync", path: path, errno: errno) }
        }
        ok = true
    }
}

/// `write(2)`, out of reach of ``AtomicFile``'s own `write` methods, which shadow it.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
