import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder written as a whole: every file goes into a fresh hidden folder beside the
/// target (`.<name>.sagstal-tmp-<pid>-<random>`), which replaces the target in one step when
/// everything is written (docs/outputs-and-exit-codes.md).
///
/// - Creating it checks, before anything is simulated, that the target can be written: the
///   parent folders are created, the target is not a file, not a mount point and, if it exists,
///   a folder sagstal wrote (empty, or with `summary.json`, `comparison.json`, `sweep.csv`, `sensitivity.json`, `threshold.json` or `optimise.json`),
///   and the hidden folder can be created next to it.
/// - ``commit()`` swaps the hidden folder with the target with `renameat2(RENAME_EXCHANGE)`
///   (atomic on Linux), then deletes the old contents. Where the exchange is not available it
///   renames the target aside, renames the new folder into place and deletes the old one; in the
///   microseconds between the two renames the target path is missing, and a run killed there is
///   repaired by the next one (the folder set aside is renamed back).
/// - ``discard()`` (or deinit without commit) removes the hidden folder and any parent folders
///   it created.
/// - Hidden folders left by killed runs in the same parent are removed when the next one starts,
///   if their process is gone (`kill(pid, 0)` fails with `ESRCH`) and no process holds the lock
///   on them (each live run holds an `flock` on its folder).
public final class OutputFolder: @unchecked Sendable {
    /// The folder the user asked for (absolute).
    public let target: URL
    /// The hidden folder the files are written to.
    public let staging: URL
    /// Files whose presence marks a folder as one sagstal wrote (run, compare, sweep).
    public static let markers = ["summary.json", "comparison.json", "sweep.csv", "sensitivity.json", "threshold.json", "optimise.json", "trace.json", "calibrate.json", "backcast.json"]
    static let tempTag = ".sagstal-tmp-"
    static let oldTag = ".sagstal-old-"

    private let parent: String
    private let name: String
    private var createdParents: [String]
    private var lockFD: Int32
    private var pending = true

    /// Checks `target` and creates the hidden folder beside it.
    /// - Throws: ``OutputError/cannotCreateDirectory(path:reason:)`` or
    ///   ``OutputError/notAnOutputFolder(path:)`` with the reason.
    public init(replacing target: URL) throws {
        let shown = target.path
        var (parent, name) = try Self.split(absolute: Self.absolute(shown), shown: shown)
        var created: [String] = []
        do {
            created = try Directories.create(parent)
        } catch OutputError.io(_, let path, let code) {
            let reason = code == ENOTDIR || code == EEXIST ? "\(path) is not a folder" : "\(path): \(String(cString: strerror(code)))"
            throw OutputError.cannotCreateDirectory(path: shown, reason: reason)
        }
        var cleanupCreated = true
        defer { if cleanupCreated { Directories.removeEmpty(created) } }
        // The target itself: missing, a folder sagstal wrote, or a link to one.
        var info = stat()
        var path = parent + "/" + name
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, let real = realpath(path, nil) else {
                throw OutputError.cannotCreateDirectory(path: shown, reason: "it is a symbolic link, and not to a folder")
            }
            path = String(cString: real)
            free(real)
            (parent, name) = try Self.split(absolute: path, shown: shown)
        }
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw OutputError.cannotCreateDirectory(path: shown, reason: "a file with that name exists, and it is not a folder")
            }
            var up = stat()
            if stat(parent, &up) == 0, up.st_dev != info.st_dev {
                throw OutputError.cannotCreateDirectory(path: shown, reason: "it is a mount point, which cannot be replaced; choose a folder inside it")
            }
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw OutputError.cannotCreateDirectory(path: shown, reason: "the existing folder cannot be read: \(String(cString: strerror(errno)))")
            }
            if !entries.isEmpty && !entries.contains(where: Self.markers.contains) {
                throw OutputError.notAnOutputFolder(path: shown)
            }
        } else if errno != ENOENT {
            throw OutputError.cannotCreateDirectory(path: shown, reason: String(cString: strerror(errno)))
        }
        Self.removeLeftovers(in: parent)
        // The hidden folder: creating it is the writability check.
        let stagingPath = parent + "/." + Self.shortened(name) + Self.tempTag + "\(getpid())-\(Self.random())"
        guard mkdir(stagingPath, 0o777) == 0 else {
            throw OutputError.cannotCreateDirectory(path: shown, reason: "cannot create a folder in \(parent): \(String(cString: strerror(errno)))")
        }
        lockFD = open(stagingPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if lockFD >= 0 { _ = flock(lockFD, LOCK_EX | LOCK_NB) }
        self.target = URL(fileURLWithPath: parent + "/" + name)
        self.staging = URL(fileURLWithPath: stagingPath)
        Self.register(stagingPath)
        self.parent = parent
        self.name = name
        self.createdParents = created
        cleanupCreated = false
    }

    deinit { if pending { discard() } }

    /// Writes `body`'s files into a new ``OutputFolder`` replacing `target`, then commits it;
    /// on any error the target is left as it was.
    public static func replace<T>(_ target: URL, _ body: (URL) throws -> T) throws -> T {
        let folder = try OutputFolder(replacing: target)
        do {
            let result = try body(folder.staging)
            try folder.commit()
            return result
        } catch {
            folder.discard()
            throw error
        }
    }

    /// Replaces the target by the hidden folder (see the type's documentation).
    /// - Throws: ``OutputError/io(operation:path:errno:)`` when no rename succeeds; the target is
    ///   then as it was and the hidden folder is removed by ``discard()``.
    public func commit() throws {
        precondition(pending, "commit() after commit() or discard()")
        // The files AtomicFile wrote into the hidden folder (not flushed one by one there),
        // flushed together, then every folder in it, before the folder replaces the target.
        do {
            Self.stagingLock.lock()
            let files = Self.stagingFolders[staging.path] ?? []
            Self.stagingLock.unlock()
            try Directories.flush(files)
        }
        Directories.syncTree(staging.path)
        let from = staging.path, to = target.path
        if rename(from, to) == 0 {
            finish(removing: nil)
            return
        }
        guard errno == EEXIST || errno == ENOTEMPTY else {
            throw OutputError.io(operation: "rename", path: to, errno: errno)
        }
        if let exchange = Self.renameExchange, !Self.twoRenamesForTesting {
            if exchange(AT_FDCWD, from, AT_FDCWD, to, 2 /* RENAME_EXCHANGE */) == 0 {
                finish(removing: from)  // the hidden folder now holds the old contents
                return
            }
            guard errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP else {
                throw OutputError.io(operation: "rename", path: to, errno: errno)
            }
        }
        // Two renames: the target path is missing between them.
        let old = parent + "/." + Self.shortened(name) + Self.oldTag + "\(getpid())-\(Self.random())"
        guard rename(to, old) == 0 else { throw OutputError.io(operation: "rename", path: to, errno: errno) }
        guard rename(from, to) == 0 else {
            let code = errno
            _ = rename(old, to)
            throw OutputError.io(operation: "rename", path: to, errno: code)
        }
        finish(removing: old)
    }

    /// Removes the hidden folder and the parent folders this folder created; the target is untouched.
    public func discard() {
        guard pending else { return }
        pending = false
        _ = Self.unregister(staging.path)
        try? FileManager.default.removeItem(atPath: staging.path)
        Directories.removeEmpty(createdParents)
        if lockFD >= 0 { close(lockFD) }
    }

    private func finish(removing old: String?) {
        pending = false
        _ = Self.unregister(staging.path)
        Directories.sync(parent)
        if let old { try? FileManager.default.removeItem(atPath: old) }
        if lockFD >= 0 { close(lockFD) }
    }

    // MARK: Leftovers of killed runs

    /// Removes the hidden folders of dead sagstal processes in `parent`; a folder set aside by a
    /// two-rename commit whose target is missing is renamed back instead.
    static func removeLeftovers(in parent: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(".") {
            let isTemp = entry.contains(tempTag)
            guard isTemp || entry.contains(oldTag),
                  let tag = entry.range(of: isTemp ? tempTag : oldTag, options: .backwards),
                  let pid = Int32(entry[tag.upperBound...].prefix(while: { $0 != "-" })), pid > 0,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = parent + "/" + entry
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            let unlocked = flock(fd, LOCK_EX | LOCK_NB) == 0
            close(fd)
            guard unlocked else { continue }
            if !isTemp {
                let original = parent + "/" + String(entry.dropFirst()[..<entry.dropFirst().range(of: oldTag, options: .backwards)!.lowerBound])
                var info = stat()
                if lstat(original, &info) != 0 && errno == ENOENT && rename(path, original) == 0 { continue }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    // MARK: Hidden folders being written

    private static let stagingLock = NSLock()
    /// The hidden folders not yet committed or discarded, with the files ``AtomicFile`` wrote
    /// into them without flushing.
    nonisolated(unsafe) private static var stagingFolders: [String: [String]] = [:]

    private static func register(_ path: String) {
        stagingLock.lock(); stagingFolders[path] = []; stagingLock.unlock()
    }

    private static func unregister(_ path: String) -> [String] {
        stagingLock.lock(); defer { stagingLock.unlock() }
        return stagingFolders.removeValue(forKey: path) ?? []
    }

    /// The hidden folder of an OutputFolder not committed or discarded yet that `directory` is,
    /// or is inside; nil otherwise. ``AtomicFile`` leaves flushing files there to ``commit()``.
    static func stagingRoot(of directory: String) -> String? {
        stagingLock.lock(); defer { stagingLock.unlock() }
        if stagingFolders.isEmpty { return nil }
        if stagingFolders[directory] != nil { return directory }
        return stagingFolders.keys.first { directory.hasPrefix($0 + "/") }
    }

    /// Records files written into the hidden folder `root` without a flush; ``commit()`` flushes them.
    static func flushAtCommit(_ paths: [String], in root: String) {
        stagingLock.lock(); stagingFolders[root]?.append(contentsOf: paths); stagingLock.unlock()
    }

    // MARK: Helpers

    /// Tests set this to exercise the two-rename commit.
    nonisolated(unsafe) static var twoRenamesForTesting = false

    /// `renameat2(2)`, looked up at run time (Swift's Glibc module does not declare it).
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameExchange: RenameAt2? = {
        #if os(Linux)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The parent folder and the last component of an absolute path, without `.` and empty parts.
    static func split(absolute: String, shown: String) throws -> (parent: String, name: String) {
        let parts = absolute.split(separator: "/").filter { $0 != "." }.map(String.init)
        guard let name = parts.last, name != ".." else {
            throw OutputError.cannotCreateDirectory(path: shown, reason: "give a folder by name, not '/' or '..'")
        }
        return ("/" + parts.dropLast().joined(separator: "/"), name)
    }

    /// `name` cut to at most 200 bytes so that the hidden names stay under NAME_MAX.
    static func shortened(_ name: String) -> String {
        var out = "", bytes = 0
        for c in name {
            bytes += c.utf8.count
            if bytes > 200 { break }
            out.append(c)
        }
        return out
    }

    static func random() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }
}

/// Folder helpers with `errno` in their errors (Foundation's would reach the user as
/// "NSCocoaErrorDomain error 512").
public enum Directories {
    /// Creates `path` and its missing parents (mode 0777 less the umask).
    /// - Returns: the folders created, outermost first.
    /// - Throws: ``OutputError/io(operation:path:errno:)`` naming the component that failed
    ///   (`ENOTDIR` when a component is a file).
    @discardableResult
    public static func create(_ path: String) throws -> [String] {
        var created: [String] = []
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            var info = stat()
            if stat(current, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    removeEmpty(created)
                    throw OutputError.io(operation: "create folder", path: current, errno: ENOTDIR)
                }
                continue
            }
            if mkdir(current, 0o777) == 0 {
                created.append(current)
            } else if errno != EEXIST {
                let code = errno
                removeEmpty(created)
                throw OutputError.io(operation: "create folder", path: current, errno: code)
            }
        }
        return created
    }

    /// Removes the folders in `created` that are empty, innermost first.
    public static func removeEmpty(_ created: [String]) {
        for dir in created.reversed() { rmdir(dir) }
    }

    /// `fsync` of a folder (its entries), ignoring errors.
    static func sync(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Flushes files to disk together: first starts the write-back of every file
    /// (`sync_file_range`, Linux), then `fsync`s each, so the disk works on all of them at once
    /// instead of one `fsync` right after each file's write. A file that no longer exists is skipped.
    /// - Throws: ``OutputError/io(operation:path:errno:)`` when a file cannot be flushed.
    static func flush(_ files: [String]) throws {
        var fds: [(Int32, String)] = []
        defer { for (fd, _) in fds { close(fd) } }
        for f in files {
            let fd = open(f, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT { continue }
                throw OutputError.io(operation: "open", path: f, errno: errno)
            }
            fds.append((fd, f))
            #if os(Linux)
            if let start = syncFileRange { _ = start(fd, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */) }
            #endif
        }
        for (fd, f) in fds {
            guard fsync(fd) == 0 else { throw OutputError.io(operation: "fsync", path: f, errno: errno) }
        }
    }

    /// `sync_file_range(2)`, looked up at run time like `renameat2`.
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = {
        #if os(Linux)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
        #else
        return nil
        #endif
    }()

    /// `fsync` of a folder and every folder below it.
    static func syncTree(_ path: String) {
        sync(path)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for e in entries {
            var info = stat()
            let p = path + "/" + e
            if lstat(p, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { syncTree(p) }
        }
    }
}
