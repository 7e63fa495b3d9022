import Foundation
import Testing
@testable import SMTPCore

/// The server session under abuse: each test is one finding of the hardening review.
@Suite("Server session under abuse")
struct ServerHardeningTests {
    @Test("BDAT before EHLO or right after STARTTLS leaves the session where it was")
    func bdatStateBypass() {
        var wire = Wire()
        wire.raw(Array("BDAT 0 LAST\r\n".utf8))
        #expect(wire.last?.code == 503)
        wire.send("MAIL FROM:<a@b.example>")
        #expect(wire.last?.code == 503, "MAIL with no EHLO must still be refused")
        var tls = Wire(ServerConfig(tlsAvailable: true))
        tls.send("EHLO a")
        tls.raw(Array("STARTTLS\r\n".utf8))
        tls.server.tlsEstablished()
        tls.raw(Array("BDAT 3 LAST\r\nabc".utf8))
        #expect(tls.last?.code == 503)
        tls.send("MAIL FROM:<a@b.example>")
        #expect(tls.last?.code == 503, "after STARTTLS a new EHLO is needed, BDAT or not")
    }

    @Test("BDAT sizes and SIZE= are digits only", arguments: ["BDAT +5", "BDAT -1", "BDAT 0x5", "BDAT 5 LAST x", "BDAT", "BDAT 1e3"])
    func strictNumbers(line: String) {
        var wire = Wire()
        wire.send("EHLO a")
        wire.send("MAIL FROM:<a@b.example>")
        wire.send("RCPT TO:<alice@example.test>")
        wire.raw(Array((line + "\r\n").utf8))
        #expect(wire.last?.code == 501, "\(line): \(wire.last?.texts ?? [])")
        wire.send("RSET")
        wire.send("MAIL FROM:<a@b.example> SIZE=+100")
        #expect(wire.last?.code == 501)
    }

    @Test("commands that do nothing are counted: the 101st gets 421 4.7.0")
    func junkCommands() {
        var wire = Wire()
        wire.send("EHLO a")
        for n in 0..<100 {
            wire.send(["NOOP", "RSET", "VRFY alice", "HELP", "EXPN team"][n % 5])
            #expect(wire.last?.code != 421)
        }
        wire.send("NOOP")
        #expect(wire.last?.code == 421 && wire.last?.enhancedCode?.description == "4.7.0")
        #expect(wire.closed)
    }

    @Test("DATA is not quadratic: 10 MB takes at most 30 times as long as 1 MB (quadratic would be 100)")
    func linearData() {
        func feed(megabytes: Int) -> Double {
            var wire = Wire(ServerConfig(maxMessageSize: 64 * 1024 * 1024))
            wire.send("EHLO a")
            wire.send("MAIL FROM:<a@b.example>")
            wire.send("RCPT TO:<alice@example.test>")
            wire.send("DATA")
            let line = Array(String(repeating: "x", count: 76).utf8) + [0x0D, 0x0A]
            let chunk = Array([[UInt8]](repeating: line, count: 840).joined())
            let start = ContinuousClock.now
            for _ in 0..<(megabytes * 16) { wire.raw(chunk) }
            wire.raw(Array(".\r\n".utf8))
            let elapsed = ContinuousClock.now - start
            #expect(wire.messages.first?.data.count == megabytes * 16 * chunk.count)
            return Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        }
        // The best of three runs of each size, so a busy machine does not decide.
        _ = feed(megabytes: 1)
        let one = (0..<3).map { _ in feed(megabytes: 1) }.min() ?? 0
        let ten = (0..<3).map { _ in feed(megabytes: 10) }.min() ?? 0
        // A ratio, not a time, and loose enough for a machine busy with other work: copying the
        // whole buffer per chunk would make it about 100.
        #expect(ten / one <= 30, "1 MB: \(one) s, 10 MB: \(ten) s")
        print("DATA 10 MB / 1 MB ratio: \(ten / one)")
    }

    @Test("a command must arrive whole within the limit of its first byte; a byte a second does not hold the slot")
    func slowloris() {
        var wire = Wire(ServerConfig(commandTimeout: 5))
        wire.time = 100
        for (index, byte) in Array("NOOP".utf8).enumerated() {
            wire.run(wire.server.receive([byte], at: 100 + Double(index)))
            wire.run(wire.server.timedOut(at: 100 + Double(index) + 0.5))
            #expect(!wire.closed)
        }
        #expect(wire.server.deadline == 105)
        wire.run(wire.server.timedOut(at: 105))
        #expect(wire.last?.code == 421 && wire.closed)
    }

    @Test("a failed store tells the client no path and no errno; a full disk is 452 4.3.1")
    func failedStore() {
        var wire = Wire()
        wire.storeFails = true
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "DATA", "x", "."] { wire.send(line) }
        #expect(wire.last?.code == 451)
        let told = wire.last?.texts.joined() ?? ""
        #expect(!told.contains("disk full") && !told.contains("/var") && !told.contains("errno"), "\(told)")
        var full = Wire()
        full.storeResult = .full
        for line in ["EHLO a", "MAIL FROM:<a@b.example>", "RCPT TO:<alice@example.test>", "DATA", "x", "."] { full.send(line) }
        #expect(full.last?.code == 452 && full.last?.enhancedCode?.description == "4.3.1")
    }

    @Test("the server's own address literal and a quoted local part are local", arguments: [
        ("alice@[127.0.0.1]", 250), ("alice@[IPv6:::1]", 250), ("\"alice\"@example.test", 250), ("\"al\\ice\"@example.test", 250),
        ("alice@[192.0.2.99]", 554), ("\"carol\"@example.test", 550),
    ])
    func localForms(address: String, code: Int) {
        var wire = Wire()
        wire.send("EHLO a")
        wire.send("MAIL FROM:<a@b.example>")
        wire.send("RCPT TO:<\(address)>")
        #expect(wire.last?.code == code, "\(address): \(wire.last?.texts ?? [])")
    }

    @Test("failed logins are counted across connections: the user is locked out after ten")
    func bruteForce() {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: hmacMD5)
        let throttle = LoginThrottle()
        let config = ServerConfig(accounts: ["alice": "wonderland"])
        var codes: [Int] = []
        for connection in 0..<4 {
            var wire = Wire(config, accounts: accounts, throttle: throttle, client: "192.0.2.\(connection)")
            wire.send("EHLO a")
            for _ in 0..<3 {
                wire.send("AUTH PLAIN " + Data("\u{0}alice\u{0}guess".utf8).base64EncodedString())
                codes.append(wire.last?.code ?? 0)
                if wire.closed { break }
            }
        }
        #expect(codes.prefix(9).allSatisfy { $0 == 535 })
        #expect(codes.contains(421))
        var later = Wire(config, accounts: accounts, throttle: throttle)
        later.send("EHLO a")
        later.send("AUTH PLAIN " + Data("\u{0}alice\u{0}wonderland".utf8).base64EncodedString())
        #expect(later.last?.code == 421, "even the right password waits out the lockout")
        #expect(later.last?.texts.first?.contains("try again in 300 s") == true)
    }

    @Test("an address that keeps failing waits longer for each answer")
    func slowdown() {
        let throttle = LoginThrottle()
        #expect(throttle.delay(address: "192.0.2.1", at: 0) == 0)
        for n in 0..<40 { throttle.record(ok: false, user: "u\(n)", address: "192.0.2.1", at: Double(n)) }
        #expect(throttle.delay(address: "192.0.2.1", at: 40) == 5.0)
        #expect(throttle.delay(address: "192.0.2.2", at: 40) == 0)
    }

    @Test("an unknown user costs the same work as a wrong password")
    func constantWork() {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: hmacMD5)
        /// The median time of each check, measured in alternation so both see the same load.
        func medians(_ a: () -> Bool, _ b: () -> Bool) -> (Double, Double) {
            func time(_ check: () -> Bool) -> Double {
                let start = ContinuousClock.now
                for _ in 0..<200 { _ = check() }
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
            }
            var first: [Double] = [], second: [Double] = []
            for _ in 0..<61 {
                first.append(time(a))
                second.append(time(b))
            }
            return (first.sorted()[30], second.sorted()[30])
        }
        let digest = "0123456789abcdef0123456789abcdef"
        let (wrongUser, wrongSecret) = medians({ accounts.check(user: "mallory", challenge: "<1.2@x>", digest: digest) },
                                               { accounts.check(user: "alice", challenge: "<1.2@x>", digest: digest) })
        #expect(wrongUser / wrongSecret > 0.7 && wrongUser / wrongSecret < 1.4, "\(wrongUser) vs \(wrongSecret)")
        let (noUser, badPassword) = medians({ accounts.check(user: "mallory", password: "x") },
                                            { accounts.check(user: "alice", password: "x") })
        #expect(noUser / badPassword > 0.7 && noUser / badPassword < 1.4, "\(noUser) vs \(badPassword)")
        #expect(accounts.check(user: "alice", password: "wonderland") && !accounts.check(user: "alice", password: "wonderlan"))
    }
}
