import Foundation
import SagstalStats
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `records.bin`: the replication records of a shard, exactly (docs/cluster.md).
///
/// One row per replication of the shard, in replication order; a row holds, for each arm in
/// order, the record's events processed (a 64-bit integer) then its totals, yearly and monthly
/// values (IEEE 754 binary64), all little-endian. A row of arms with layouts L₀, L₁, … is
/// Σ (1 + Tᵢ + Yᵢ + Mᵢ) × 8 bytes, where T, Y and M are the layout's totals, yearly and monthly
/// value counts. The bits are the simulation's own, so the statistics computed from them at
/// merge time are those of the unsharded run.
public enum ShardRecords {
    /// Values (8 bytes each) of one arm's record.
    static func values(_ layout: MetricLayout) -> Int {
        1 + layout.totalsMetrics.count + (layout.yearLabels.count + layout.monthLabels.count) * layout.periodMetrics.count
    }

    public static func rowBytes(_ layouts: [MetricLayout]) -> Int { layouts.reduce(0) { $0 + values($1) } * 8 }

    /// Appends the little-endian bits of a row to `out`.
    static func encode(_ records: [ReplicationRecord], into out: inout [UInt64]) {
        for r in records {
            out.append(UInt64(bitPattern: Int64(r.eventsProcessed)).littleEndian)
            for x in r.totals { out.append(x.bitPattern.littleEndian) }
            for x in r.yearly { out.append(x.bitPattern.littleEndian) }
            for x in r.monthly { out.append(x.bitPattern.littleEndian) }
        }
    }

    /// Decodes one row (``rowBytes(_:)`` bytes) of replication `replication`.
    static func decode(_ row: UnsafeRawBufferPointer, replication: Int, layouts: [MetricLayout]) -> [ReplicationRecord] {
        var offset = 0
        func next() -> UInt64 {
            let v = UInt64(littleEndian: row.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            return v
        }
        func doubles(_ n: Int) -> [Double] { (0..<n).map { _ in Double(bitPattern: next()) } }
        return layouts.map { layout in
            let events = Int(Int64(bitPattern: next()))
            let m = layout.periodMetrics.count
            let totals = doubles(layout.totalsMetrics.count)
            let yearly = doubles(layout.yearLabels.count * m)
            let monthly = doubles(layout.monthLabels.count * m)
            return ReplicationRecord(replication: replication, totals: totals, yearly: yearly, monthly: monthly, eventsProcessed: events)
        }
    }

    /// Writes rows at their offsets (rows arrive in completion order) into a file.
    final class Writer {
        let fd: Int32
        let path: String
        let rowBytes: Int
        let first: Int

        init(path: String, rowBytes: Int, first: Int) throws {
            self.path = path
            self.rowBytes = rowBytes
            self.first = first
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw AggregationError.io(operation: "creating \(path)", errno: errno) }
        }

        deinit { close(fd) }

        func write(_ records: [ReplicationRecord]) throws {
            var bits: [UInt64] = []
            bits.reserveCapacity(rowBytes / 8)
            encode(records, into: &bits)
            precondition(bits.count * 8 == rowBytes, "a record does not match its layout")
            let offset = (records[0].replication - first) * rowBytes
            try bits.withUnsafeBytes { try RunAggregator.writeAll(fd, $0, at: offset, what: path) }
        }
    }

    /// Reads a records file row by row, in chunks, and checks its size and hash.
    ///
    /// - Parameter body: called with each row's records, in replication order.
    /// - Returns: the FNV-1a hash of the file's bytes.
    static func read(_ path: String, first: Int, count: Int, layouts: [MetricLayout],
                     _ body: ([ReplicationRecord]) throws -> Void) throws -> String {
        let rowBytes = rowBytes(layouts)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AggregationError.io(operation: "opening \(path)", errno: errno) }
        defer { close(fd) }
        var hash = ShardHash.Hasher64()
        let rowsPerChunk = max(1, (4 << 20) / max(rowBytes, 1))
        var buffer = [UInt8](repeating: 0, count: rowsPerChunk * rowBytes)
        var r = 0
        while r < count {
            let rows = min(rowsPerChunk, count - r)
            let want = rows * rowBytes
            try buffer.withUnsafeMutableBytes { raw in
                var done = 0
                while done < want {
                    let k = Glibc.read(fd, raw.baseAddress! + done, want - done)
                    if k < 0 {
                        if errno == EINTR { continue }
                        throw AggregationError.io(operation: "reading \(path)", errno: errno)
                    }
                    if k == 0 { throw ShardError.notAShard(path: path, why: "records.bin is shorter than its manifest says") }
                    done += k
                }
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<want])
                hash.add(chunk)
                for i in 0..<rows {
                    let row = UnsafeRawBufferPointer(rebasing: chunk[(i * rowBytes)..<((i + 1) * rowBytes)])
                    try body(decode(row, replication: first + r + i, layouts: layouts))
                }
            }
            r += rows
        }
        var extra: UInt8 = 0
        if Glibc.read(fd, &extra, 1) > 0 { throw ShardError.notAShard(path: path, why: "records.bin is longer than its manifest says") }
        return hash.hex
    }

    /// The FNV-1a hash of a file's bytes.
    static func hash(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AggregationError.io(operation: "opening \(path)", errno: errno) }
        defer { close(fd) }
        var hash = ShardHash.Hasher64()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let k = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if k < 0 {
                if errno == EINTR { continue }
                throw AggregationError.io(operation: "reading \(path)", errno: errno)
            }
            if k == 0 { break }
            buffer.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[0..<k])) }
        }
        return hash.hex
    }
}
