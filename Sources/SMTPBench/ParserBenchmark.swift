import Foundation
import SMTPCore

/// The reply parser's throughput on a stream of realistic replies, fed in 64 KiB reads.
enum ParserBenchmark {
    static let replies: [String] = [
        "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n",
        "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n"
            + "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
        "250 2.1.0 Ok\r\n",
        "250 2.1.5 Ok\r\n",
        "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table\r\n",
        "354 End data with <CR><LF>.<CR><LF>\r\n",
        "250 2.0.0 Ok: queued as 4Xq1Zb2Lbdz9sXp\r\n",
        "550-5.7.26 Unauthenticated email from example.net is not accepted due to\r\n"
            + "550-5.7.26 domain's DMARC policy. Please contact the administrator of\r\n"
            + "550-5.7.26 example.net domain if this was a legitimate mail. To learn about\r\n"
            + "550-5.7.26 the DMARC initiative, go to\r\n"
            + "550 5.7.26  https://support.google.com/mail/?p=DmarcRejection 5b1f17b1804b1-42f2c1a2b3csi12 - gsmtp\r\n",
        "214-Commands supported:\r\n214 AUTH STARTTLS HELO EHLO MAIL RCPT DATA BDAT NOOP QUIT RSET HELP\r\n",
        "221 2.0.0 Bye\r\n",
    ]

    /// MB/s of each of seven runs of `body` over the stream, sorted.
    static func rates(_ stream: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Int, expect: Int) -> [Double] {
        var rates: [Double] = []
        for _ in 0..<7 {
            var count = 0
            let elapsed = ContinuousClock().measure {
                count = stream.withUnsafeBufferPointer(body)
            }
            precondition(count == expect, "counted \(count), expected \(expect)")
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            rates.append(Double(stream.count) / seconds / 1_000_000)
        }
        return rates.sorted()
    }

    static let chunk = 64 * 1024

    /// The anchor: a plain line split with memchr, in the same 64 KiB reads; counts lines.
    static func memchrSplit(_ pointer: UnsafeBufferPointer<UInt8>) -> Int {
        var lines = 0
        var offset = 0
        while offset < pointer.count {
            let end = min(offset + chunk, pointer.count)
            var at: UnsafePointer<UInt8> = pointer.baseAddress! + offset
            let stop = pointer.baseAddress! + end
            while at < stop, let found = memchr(at, 0x0A, stop - at) {
                lines += 1
                at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) + 1
            }
            offset = end
        }
        return lines
    }

    /// A parser fed the stream in the same reads; `drain` pulls what each read gave and
    /// returns how many replies it saw.
    static func inReads(_ pointer: UnsafeBufferPointer<UInt8>, _ drain: (inout ReplyParser) -> Int) -> Int {
        var parser = ReplyParser()
        var count = 0
        var offset = 0
        while offset < pointer.count {
            let end = min(offset + chunk, pointer.count)
            parser.feed(UnsafeBufferPointer(rebasing: pointer[offset..<end]))
            count += drain(&parser)
            offset = end
        }
        return count
    }

    /// The parser, every reply taken out as a value; counts replies.
    static func parse(_ pointer: UnsafeBufferPointer<UInt8>) -> Int {
        inReads(pointer) { parser in
            var count = 0
            while let step = parser.advance() {
                if case .reply = step, parser.reply.code > 0 { count += 1 }
            }
            return count
        }
    }

    /// The same, with every line taken out as a value too (what the conversation engine does,
    /// since it logs each line as it arrives); counts replies.
    static func parseValues(_ pointer: UnsafeBufferPointer<UInt8>) -> Int {
        inReads(pointer) { parser in
            var count = 0
            while let event = parser.next() {
                if case .reply = event { count += 1 }
            }
            return count
        }
    }

    static func run() {
        let unit = Array(replies.joined().utf8)
        let repeats = (64 << 20) / unit.count
        var stream: [UInt8] = []
        stream.reserveCapacity(unit.count * repeats)
        for _ in 0..<repeats { stream += unit }
        let expectedReplies = repeats * replies.count
        let lines = replies.joined().components(separatedBy: "\r\n").count - 1

        let split = rates(stream, memchrSplit, expect: repeats * lines)
        let parsed = rates(stream, parse, expect: expectedReplies)
        let values = rates(stream, parseValues, expect: expectedReplies)
        let mb = Double(stream.count) / 1_000_000
        print(String(format: "reply parser: %.1f MB of replies (%d replies, %.1f lines a reply on average), 64 KiB reads",
                     mb, expectedReplies, Double(lines) / Double(replies.count)))
        print(String(format: "reply parser throughput, every reply taken out: median %.0f MB/s, best %.0f MB/s, worst %.0f MB/s (7 runs; goal >= 1000)",
                     parsed[3], parsed.last!, parsed.first!))
        print(String(format: "reply parser with every line taken out as a value too: median %.0f MB/s",
                     values[3]))
        print(String(format: "anchor, memchr line split of the same reads: median %.0f MB/s", split[3]))
        print(String(format: "reply parser / memchr split: %.2f x (goal >= 0.25)", parsed[3] / split[3]))
    }
}
