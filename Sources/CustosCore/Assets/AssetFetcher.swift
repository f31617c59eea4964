import Foundation

/// The state of one extracted asset file.
public struct AssetFileStatus: Sendable, Equatable, Codable {
    /// Checksum state.
    public enum State: String, Sendable, Codable {
        /// Present with the pinned checksum.
        case ok
        /// Not on disk.
        case missing
        /// On disk with another checksum (corrupt or tampered).
        case mismatch
    }
    /// The file.
    public var file: AssetFile
    /// Where it is (or would be).
    public var path: String
    /// What was found.
    public var state: State
}

/// Downloads pinned archives with pip, verifies them, and extracts the needed files.
///
/// Idempotent (files already present with the right checksum are left alone) and resumable
/// (a verified archive in the cache is reused; each file is written to a temporary name and
/// renamed only after its checksum matched).
public struct AssetFetcher: Sendable {
    /// Where assets go.
    public var home: CustosHome
    /// The Python interpreter whose pip downloads archives.
    public var python: String

    /// A fetcher for `home`, using `python3` (or `$CUSTOS_PYTHON`).
    public init(home: CustosHome, python: String? = nil) {
        self.home = home
        self.python = python ?? ProcessInfo.processInfo.environment["CUSTOS_PYTHON"] ?? "python3"
    }

    /// The state of every file of every archive (`verify: false` only checks presence and size).
    public func status(verify: Bool = true) throws -> [AssetFileStatus] {
        try AssetCatalog.archives.flatMap(\.files).map { try status(of: $0, verify: verify) }
    }

    /// The state of one file.
    public func status(of file: AssetFile, verify: Bool = true) throws -> AssetFileStatus {
        let path = home.path(of: file)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return AssetFileStatus(file: file, path: path, state: .missing)
        }
        let size = attributes[.size] as? Int
        if size != file.size { return AssetFileStatus(file: file, path: path, state: .mismatch) }
        if verify, try Checksum.sha256(ofFile: path) != file.sha256 {
            return AssetFileStatus(file: file, path: path, state: .mismatch)
        }
        return AssetFileStatus(file: file, path: path, state: .ok)
    }

    /// Fetches every archive whose files are not all present and valid. `log` receives one line per step.
    public func fetchAll(only assets: Set<String>? = nil, log: (String) -> Void) throws {
        for archive in AssetCatalog.archives {
            let wanted = archive.files.filter { assets == nil || assets?.contains($0.asset) == true }
            guard !wanted.isEmpty else { continue }
            let stale = try wanted.filter { try status(of: $0).state != .ok }
            if stale.isEmpty {
                log("\(archive.requirement): \(wanted.count) files up to date")
                continue
            }
            let archivePath = try download(archive, log: log)
            try extract(stale, from: archivePath, archive: archive)
            log("\(archive.requirement): extracted \(stale.count) files, checksums verified")
        }
    }

    /// Ensures the archive is in the cache with the pinned checksum; returns its path.
    func download(_ archive: AssetArchive, log: (String) -> Void) throws -> String {
        let fm = FileManager.default
        try createDirectory(home.cache)
        let target = home.cache.appendingPathComponent(archive.fileName).path
        if fm.fileExists(atPath: target) {
            if try Checksum.sha256(ofFile: target) == archive.sha256 { return target }
            log("\(archive.fileName): cached copy has the wrong checksum; downloading again")
            try? fm.removeItem(atPath: target)
        }
        log("\(archive.requirement): downloading with pip")
        let staging = home.cache.appendingPathComponent("download-\(archive.id)")
        try? fm.removeItem(at: staging)
        try createDirectory(staging)
        defer { try? fm.removeItem(at: staging) }
        let result = try run(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                                      "-q", archive.requirement, "-d", staging.path])
        guard result.status == 0 else {
            let detail = result.stderr.split(separator: "\n").suffix(3).joined(separator: " | ")
            throw CustosError(
                .upstream,
                "could not download \(archive.requirement) with pip (exit \(result.status)): \(detail). "
                    + "Is this machine offline? Check the network or pip's index configuration, then rerun `custos assets fetch`.")
        }
        let downloaded = staging.appendingPathComponent(archive.fileName).path
        guard fm.fileExists(atPath: downloaded) else {
            let got = (try? fm.contentsOfDirectory(atPath: staging.path)) ?? []
            throw CustosError(.upstream, "pip downloaded \(got) instead of \(archive.fileName)")
        }
        let digest = try Checksum.sha256(ofFile: downloaded)
        guard digest == archive.sha256 else {
            throw CustosError(
                .upstream,
                "\(archive.fileName) has SHA-256 \(digest), expected \(archive.sha256): refusing to use it")
        }
        try fm.moveItem(atPath: downloaded, toPath: target)
        return target
    }

    /// Extracts files from a wheel (a zip) with Python's zipfile, then checks each checksum
    /// before renaming it into place.
    func extract(_ files: [AssetFile], from archivePath: String, archive: AssetArchive) throws {
        let script = """
            import os, sys, zipfile
            archive, dest = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(archive) as z:
                for member in sys.argv[3:]:
                    out = os.path.join(dest, member + '.part')
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    with z.open(member) as src, open(out, 'wb') as dst:
                        while True:
                            chunk = src.read(1 << 20)
                            if not chunk:
                                break
                            dst.write(chunk)
                        dst.flush()
                        os.fsync(dst.fileno())
            """
        let result = try run(python, ["-c", script, archivePath, home.assets.path] + files.map(\.path))
        guard result.status == 0 else {
            throw CustosError(.io, "extracting from \(archive.fileName) failed: \(result.stderr.suffix(400))")
        }
        let fm = FileManager.default
        for file in files {
            let final = home.path(of: file)
            let part = final + ".part"
            let digest = try Checksum.sha256(ofFile: part)
            guard digest == file.sha256 else {
                try? fm.removeItem(atPath: part)
                throw CustosError(.io, "\(file.path) extracted with SHA-256 \(digest), expected \(file.sha256)")
            }
            if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
            try fm.moveItem(atPath: part, toPath: final)
        }
    }

    private func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw CustosError(.io, "cannot create directory: \(error.localizedDescription)", at: SourceLocation(file: url.path))
        }
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CustosError(.io, "cannot run \(executable): \(error.localizedDescription); is Python 3 installed?")
        }
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }
}
