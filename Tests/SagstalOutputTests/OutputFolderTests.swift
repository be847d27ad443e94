import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SagstalOutput

/// `OutputFolder`: whole-folder replacement and the removal of killed runs' leftovers.
@Suite struct OutputFolderTests {
    /// A pid above Linux's largest pid_max (2²²): `kill(pid, 0)` fails with ESRCH.
    static let deadPid: Int32 = 2_000_000_000

    func files(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    @Test func replacesTheWholeFolderAndLeavesNothingHidden() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let target = parent.appendingPathComponent("a/b/out")
        try OutputFolder.replace(target) { staging in
            try AtomicFile.write(Data("1".utf8), to: staging.appendingPathComponent("summary.json"))
            try AtomicFile.write(Data("x".utf8), to: staging.appendingPathComponent("old-only.csv"))
        }
        try OutputFolder.replace(target) { staging in
            try AtomicFile.write(Data("2".utf8), to: staging.appendingPathComponent("summary.json"))
        }
        #expect(files(target) == ["summary.json"])
        #expect(try String(contentsOf: target.appendingPathComponent("summary.json"), encoding: .utf8) == "2")
        #expect(files(target.deletingLastPathComponent()) == ["out"])
    }

    /// Files AtomicFile writes into the hidden folder are not flushed one by one: the folder
    /// records them and its commit flushes them together (issue 15); elsewhere AtomicFile still
    /// flushes each file itself.
    @Test func filesInTheHiddenFolderAreFlushedAtTheCommit() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let target = parent.appendingPathComponent("out")
        var hidden = ""
        try OutputFolder.replace(target) { staging in
            hidden = staging.path
            #expect(OutputFolder.stagingRoot(of: staging.path) == staging.path)
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("sub"), withIntermediateDirectories: false)
            #expect(OutputFolder.stagingRoot(of: staging.appendingPathComponent("sub").path) == staging.path)
            try AtomicFile.write([(staging.appendingPathComponent("summary.json"), Data("1".utf8)),
                                  (staging.appendingPathComponent("sub/a.csv"), Data("a".utf8))])
        }
        #expect(OutputFolder.stagingRoot(of: hidden) == nil)
        #expect(OutputFolder.stagingRoot(of: target.path) == nil)
        #expect(files(target) == ["sub", "summary.json"])
        #expect(try String(contentsOf: target.appendingPathComponent("sub/a.csv"), encoding: .utf8) == "a")
        // Outside a hidden folder: written (and flushed) directly.
        try AtomicFile.write(Data("x".utf8), to: parent.appendingPathComponent("plain.txt"))
        #expect(try String(contentsOf: parent.appendingPathComponent("plain.txt"), encoding: .utf8) == "x")
        // A discarded folder is forgotten too.
        let folder = try OutputFolder(replacing: parent.appendingPathComponent("other"))
        let staging = folder.staging.path
        #expect(OutputFolder.stagingRoot(of: staging) == staging)
        folder.discard()
        #expect(OutputFolder.stagingRoot(of: staging) == nil)
    }

    @Test func aFailureLeavesTheTargetAndRemovesTheFoldersItCreated() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try OutputFolder.replace(parent.appendingPathComponent("x/y/out")) { _ in throw Boom() }
        }
        #expect(!FileManager.default.fileExists(atPath: parent.path), "created parents are removed again")
        let target = parent.appendingPathComponent("out")
        try OutputFolder.replace(target) { try AtomicFile.write(Data("old".utf8), to: $0.appendingPathComponent("summary.json")) }
        #expect(throws: Boom.self) {
            try OutputFolder.replace(target) { staging in
                try AtomicFile.write(Data("new".utf8), to: staging.appendingPathComponent("summary.json"))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: target.appendingPathComponent("summary.json"), encoding: .utf8) == "old")
        #expect(files(parent) == ["out"])
    }

    @Test func refusesFilesForeignFoldersAndMountPoints() throws {
        let parent = temporaryDirectory()
        try FileManager.default.createDirectory(at: parent.appendingPathComponent("mine"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        try Data("notes".utf8).write(to: parent.appendingPathComponent("mine/notes.txt"))
        try Data("f".utf8).write(to: parent.appendingPathComponent("file"))
        #expect(throws: OutputError.notAnOutputFolder(path: parent.appendingPathComponent("mine").path)) {
            _ = try OutputFolder(replacing: parent.appendingPathComponent("mine"))
        }
        for bad in ["file", "file/sub"] {
            #expect(throws: OutputError.self) { _ = try OutputFolder(replacing: parent.appendingPathComponent(bad)) }
        }
        #expect(throws: OutputError.self) { _ = try OutputFolder(replacing: URL(fileURLWithPath: "/proc")) }
        #expect(files(parent) == ["file", "mine"])
        // An empty folder, and one with a marker, are sagstal's to replace.
        try FileManager.default.createDirectory(at: parent.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try OutputFolder(replacing: parent.appendingPathComponent("empty")).commit()
        try Data().write(to: parent.appendingPathComponent("mine/comparison.json"))
        try OutputFolder(replacing: parent.appendingPathComponent("mine")).commit()
        #expect(files(parent.appendingPathComponent("mine")).isEmpty)
    }

    @Test func leftoversOfDeadProcessesAreRemovedAndLiveOnesKept() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let dead = ".out.sagstal-tmp-\(Self.deadPid)-abc", alive = ".out.sagstal-tmp-1-abc"
        let mine = ".other.sagstal-tmp-\(getpid())-abc"
        for name in [dead, alive, mine, ".x.sagstal-old-\(Self.deadPid)-q", "keep"] {
            try FileManager.default.createDirectory(at: parent.appendingPathComponent(name + "/sub"), withIntermediateDirectories: true)
        }
        // A dead process's folder that another live process has locked is kept too.
        let lockedName = ".locked.sagstal-tmp-\(Self.deadPid)-zz"
        try FileManager.default.createDirectory(at: parent.appendingPathComponent(lockedName), withIntermediateDirectories: true)
        let fd = open(parent.appendingPathComponent(lockedName).path, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0)
        // flock is per open file description: this fd's lock conflicts with the check's own open.
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        defer { close(fd) }
        let folder = try OutputFolder(replacing: parent.appendingPathComponent("out"))
        let left = files(parent).filter { $0 != folder.staging.lastPathComponent }
        // The folder set aside by a two-rename commit is renamed back when its target is missing.
        #expect(left == [alive, lockedName, mine, "keep", "x"].sorted(), "\(left)")
        #expect(FileManager.default.fileExists(atPath: parent.appendingPathComponent("x/sub").path))
        folder.discard()
    }

    @Test func theTwoRenameCommitReplacesTooAndLeavesNothing() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let target = parent.appendingPathComponent("out")
        OutputFolder.twoRenamesForTesting = true
        defer { OutputFolder.twoRenamesForTesting = false }
        for text in ["old", "new"] {
            try OutputFolder.replace(target) { try AtomicFile.write(Data(text.utf8), to: $0.appendingPathComponent("summary.json")) }
        }
        #expect(try String(contentsOf: target.appendingPathComponent("summary.json"), encoding: .utf8) == "new")
        #expect(files(parent) == ["out"])
    }

    @Test func theHiddenNamesStayShortForLongTargetNames() throws {
        let parent = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let long = String(repeating: "ø", count: 120)  // 240 bytes, under NAME_MAX
        try OutputFolder.replace(parent.appendingPathComponent(long)) { staging in
            #expect(staging.lastPathComponent.utf8.count <= 255)
            try AtomicFile.write(Data("1".utf8), to: staging.appendingPathComponent("summary.json"))
        }
        #expect(files(parent) == [long])
    }
}
