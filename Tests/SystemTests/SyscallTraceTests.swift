import Testing

/// The strace reader the durability-order test relies on: it must see a sync that
/// completed between a request and its answer, and must not credit one that was still
/// running when the answer went out (an interrupted call spans two lines).
struct SyscallTraceTests {
    static let sock = #"12<TCP:[127.0.0.1:8080->127.0.0.1:5000]>"#
    static let wal = "7</d/imagehook.sqlite-wal>"

    @Test func creditsASyncCompletedBeforeTheAnswer() throws {
        let trace = SyscallTrace("""
        100 10:00:00.000001 recvfrom(\(Self.sock), "POST /v1/callbacks/abc HTTP/1.1\\r\\n", 65536, 0, NULL, NULL) = 40
        101 10:00:00.000002 pwrite64(\(Self.wal), "\\0\\0", 24, 0) = 24
        101 10:00:00.000003 fdatasync(\(Self.wal) <unfinished ...>
        102 10:00:00.000004 write(2</log>, "HTTP/1.1 200 in a log line", 26) = 26
        101 10:00:00.000005 <... fdatasync resumed>) = 0
        100 10:00:00.000006 sendto(\(Self.sock), "HTTP/1.1 200 OK\\r\\n", 17, 0, NULL, 0) = 17
        """)
        let read = try #require(trace.firstRead(containing: "POST /v1/callbacks/abc"))
        let answer = try #require(trace.firstWrite(containing: "HTTP/1.1 200", after: read.end, sameFile: read.firstArgument))
        #expect(answer.start == 5)
        #expect(trace.syncs(of: "imagehook.sqlite", after: read.end, before: answer.start).count == 1)
    }

    @Test func refusesASyncStillRunningWhenTheAnswerLeft() throws {
        let trace = SyscallTrace("""
        100 10:00:00.000001 read(\(Self.sock), "POST /v1/callbacks/abc HTTP/1.1\\r\\n", 65536) = 40
        101 10:00:00.000002 fdatasync(\(Self.wal) <unfinished ...>
        100 10:00:00.000003 write(\(Self.sock), "HTTP/1.1 200 OK\\r\\n", 17) = 17
        101 10:00:00.000004 <... fdatasync resumed>) = 0
        101 10:00:00.000005 fsync(\(Self.wal)) = -1 EIO (Input/output error)
        """)
        let read = try #require(trace.firstRead(containing: "POST /v1/callbacks/abc"))
        let answer = try #require(trace.firstWrite(containing: "HTTP/1.1 200", after: read.end, sameFile: read.firstArgument))
        #expect(trace.syncs(of: "imagehook.sqlite", after: read.end, before: answer.start).isEmpty)
        #expect(trace.syncs(of: "imagehook.sqlite", after: read.end, before: 10).count == 1, "the failed fsync is not credited")
    }

    /// A directory fsync interrupted by another thread's line must still name the
    /// directory as its only argument (the image test matches it by suffix).
    @Test func anInterruptedCallReadsAsIfLoggedWhole() throws {
        let trace = SyscallTrace("""
        200 10:00:00.000001 rename("/d/tmp/a.part", "/d/images/50/50ab.png" <unfinished ...>
        201 10:00:00.000002 write(4<anon_inode:[eventfd]>, "\\1", 8) = 8
        200 10:00:00.000003 <... rename resumed>) = 0
        200 10:00:00.000004 fsync(21</d/images/50> <unfinished ...>
        201 10:00:00.000005 read(4<anon_inode:[eventfd]>, "\\1", 8) = 8
        200 10:00:00.000006 <... fsync resumed>) = 0
        202 10:00:00.000007 read(5</d/x>, <unfinished ...>
        202 10:00:00.000008 <... read resumed>"abc", 100) = 3
        """)
        let fsync = try #require(trace.calls.first { $0.name == "fsync" })
        #expect(fsync.firstArgument == "21</d/images/50>")
        #expect(fsync.text == "fsync(21</d/images/50>) = 0")
        #expect(fsync.succeeded && fsync.start == 3 && fsync.end == 5)
        let rename = try #require(trace.calls.first { $0.name == "rename" })
        #expect(rename.succeeded && rename.text.contains("50ab.png"))
        let read = try #require(trace.calls.first { $0.name == "read" && $0.pid == "202" })
        #expect(read.firstArgument == "5</d/x>" && read.text == #"read(5</d/x>, "abc", 100) = 3"#)
    }
}
