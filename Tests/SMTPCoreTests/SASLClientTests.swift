import Crypto
import Foundation
import Testing
@testable import SMTPCore

let hmacMD5: @Sendable ([UInt8], [UInt8]) -> [UInt8] = { key, message in
    Array(HMAC<Insecure.MD5>.authenticationCode(for: message, using: SymmetricKey(data: key)))
}

@Suite("SASL client")
struct SASLClientTests {
    @Test("CRAM-MD5 answers RFC 2195's own example")
    func cram() {
        var client = SASLClient(mechanism: .cramMD5, user: "tim", secret: "tanstaaftanstaaf", hmacMD5: hmacMD5)
        #expect(client.command.line == "AUTH CRAM-MD5")
        let answer = client.respond(to: Reply(code: 334, "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"))
        #expect(answer == "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw")
    }

    @Test("PLAIN sends its initial response; LOGIN answers Username: then Password:")
    func plainLogin() {
        let plain = SASLClient(mechanism: .plain, user: "alice", secret: "wonderland", hmacMD5: hmacMD5)
        #expect(plain.command.line == "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=")
        var login = SASLClient(mechanism: .login, user: "alice", secret: "wonderland", hmacMD5: hmacMD5)
        #expect(login.command.line == "AUTH LOGIN")
        #expect(login.respond(to: Reply(code: 334, "VXNlcm5hbWU6")) == "YWxpY2U=")
        #expect(login.respond(to: Reply(code: 334, "UGFzc3dvcmQ6")) == "d29uZGVybGFuZA==")
    }

    @Test("XOAUTH2 carries the token; a 334 error gets an empty line")
    func xoauth2() {
        var client = SASLClient(mechanism: .xoauth2, user: "a@b.example", secret: "ya29.token", hmacMD5: hmacMD5)
        let initial = String(client.command.argument.dropFirst("XOAUTH2 ".count))
        #expect(String(decoding: Data(base64Encoded: initial)!, as: UTF8.self) == "user=a@b.example\u{1}auth=Bearer ya29.token\u{1}\u{1}")
        #expect(client.respond(to: Reply(code: 334, "eyJzdGF0dXMiOiI0MDEifQ==")) == "")
    }

    @Test("a typed AUTH is decoded with the secret masked")
    func describe() {
        #expect(SASLClient.describe(mechanism: "PLAIN", response: "AGFsaWNlAHdvbmRlcmxhbmQ=", showSecrets: false)
                == "user alice, password ********")
        #expect(SASLClient.describe(mechanism: "PLAIN", response: "AGFsaWNlAHdvbmRlcmxhbmQ=", showSecrets: true)
                == "user alice, password wonderland")
    }

    @Test("the practice server checks CRAM-MD5 with the same HMAC")
    func serverCram() {
        let accounts = AccountTable(accounts: ["alice": "wonderland"], hmacMD5: hmacMD5)
        var wire = Wire(ServerConfig(accounts: ["alice": "wonderland"]), accounts: accounts)
        wire.send("EHLO a")
        var client = SASLClient(mechanism: .cramMD5, user: "alice", secret: "wonderland", hmacMD5: hmacMD5)
        wire.send(client.command.line)
        #expect(wire.last?.code == 334)
        wire.send(client.respond(to: wire.last!))
        #expect(wire.last?.code == 235)
    }
}
