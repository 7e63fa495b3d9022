import Foundation
import NIOCore

/// What the server's first handshake messages say in plaintext: the cipher suite of the
/// ServerHello, the key-agreement group (TLS 1.3's key_share, TLS 1.2's ServerKeyExchange), or
/// the size of a finite-field group. NIOSSL reports none of these, and the explorer shows them.
struct HandshakeFacts: Sendable, Hashable {
    var suite: UInt16?
    var group: UInt16?
    var dhBits: Int?
    /// The ServerHello's supported_versions said TLS 1.3.
    var tls13 = false

    /// "ECDHE X25519", "DHE 2048", "RSA", or nil when not known.
    var keyExchange: String? {
        if let group {
            let name = Self.groupNames[group] ?? String(format: "group 0x%04X", group)
            return name.contains("MLKEM") || name.contains("Kyber") ? name : "ECDHE " + name
        }
        guard let suite else { return nil }
        let suiteName = ServerHelloSniffer.name(suite)
        if suiteName.hasPrefix("TLS_RSA_") { return "RSA" }
        if suiteName.hasPrefix("TLS_DHE_") { return "DHE" + (dhBits.map { " \($0)" } ?? "") }
        if suiteName.hasPrefix("TLS_ECDHE_") { return "ECDHE" }
        return nil
    }

    /// Named groups (IANA TLS Supported Groups registry).
    static let groupNames: [UInt16: String] = [
        0x0017: "P-256", 0x0018: "P-384", 0x0019: "P-521", 0x001D: "X25519", 0x001E: "X448",
        0x0100: "ffdhe2048", 0x0101: "ffdhe3072", 0x11EC: "X25519MLKEM768", 0x6399: "X25519Kyber768Draft00",
    ]
}

/// Reads the server's plaintext handshake messages as they pass by on their way to the TLS
/// handler (RFC 8446 §4.1.3, §4.2.8; RFC 5246 §7.4.1.3, §7.4.3; RFC 8422 §5.4).
final class ServerHelloSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Bytes looked at before giving up (a chain of certificates comes before ServerKeyExchange).
    static let limit = 65_536

    private var seen: [UInt8] = []
    private var done = false
    private let found: @Sendable (HandshakeFacts) -> Void

    init(found: @escaping @Sendable (HandshakeFacts) -> Void) {
        self.found = found
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !done {
            let buffer = unwrapInboundIn(data)
            seen += buffer.readableBytesView
            let (facts, finished) = Self.facts(in: seen)
            if let facts { found(facts) }
            if finished || seen.count > Self.limit {
                done = true
                seen = []
            }
        }
        context.fireChannelRead(data)
    }

    /// What the plaintext handshake at the start of `bytes` says so far, and whether nothing
    /// more will come in plaintext (TLS 1.3 encrypts after ServerHello; TLS 1.2 ends with
    /// ServerHelloDone).
    static func facts(in bytes: [UInt8]) -> (HandshakeFacts?, finished: Bool) {
        var handshake: [UInt8] = []
        var offset = 0
        var ended = false
        while offset + 5 <= bytes.count {
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            guard bytes[offset] == 22 else { ended = true; break }
            guard offset + 5 + length <= bytes.count else { break }
            handshake += bytes[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
        }
        var facts = HandshakeFacts()
        var position = 0
        var finished = ended
        while position + 4 <= handshake.count {
            let type = handshake[position]
            let length = Int(handshake[position + 1]) << 16 | Int(handshake[position + 2]) << 8 | Int(handshake[position + 3])
            guard position + 4 + length <= handshake.count else { break }
            let body = Array(handshake[(position + 4)..<(position + 4 + length)])
            switch type {
            case 2: serverHello(body, into: &facts)
            case 12: serverKeyExchange(body, into: &facts)
            case 14: finished = true
            default: break
            }
            position += 4 + length
        }
        if facts.suite == nil { return (nil, finished) }
        // TLS 1.3 sends nothing more in plaintext.
        if facts.tls13 { finished = true }
        return (facts, finished)
    }

    /// ServerHello: version (2), random (32), session id (1 + n), suite (2), compression (1),
    /// extensions (2 + n); key_share (51) holds the group of TLS 1.3.
    static func serverHello(_ body: [UInt8], into facts: inout HandshakeFacts) {
        guard body.count >= 35 else { return }
        let at = 35 + Int(body[34])
        guard body.count >= at + 2 else { return }
        facts.suite = UInt16(body[at]) << 8 | UInt16(body[at + 1])
        var position = at + 3
        guard body.count >= position + 2 else { return }
        let end = min(body.count, position + 2 + (Int(body[position]) << 8 | Int(body[position + 1])))
        position += 2
        while position + 4 <= end {
            let type = UInt16(body[position]) << 8 | UInt16(body[position + 1])
            let length = Int(body[position + 2]) << 8 | Int(body[position + 3])
            if length >= 2, position + 6 <= end {
                let value = UInt16(body[position + 4]) << 8 | UInt16(body[position + 5])
                if type == 51 { facts.group = value }
                if type == 43 { facts.tls13 = value == 0x0304 }
            }
            position += 4 + length
        }
    }

    /// ServerKeyExchange: a named curve (curve type 3, RFC 8422 §5.4), or DH parameters p, g, Ys
    /// (RFC 5246 §7.4.3), whose p gives the group's size.
    static func serverKeyExchange(_ body: [UInt8], into facts: inout HandshakeFacts) {
        guard let suite = facts.suite else { return }
        let name = ServerHelloSniffer.name(suite)
        if name.hasPrefix("TLS_ECDHE_"), body.count >= 3, body[0] == 3 {
            facts.group = UInt16(body[1]) << 8 | UInt16(body[2])
        } else if name.hasPrefix("TLS_DHE_"), body.count >= 2 {
            var length = Int(body[0]) << 8 | Int(body[1])
            // Leading zero bytes do not count towards the size.
            var index = 2
            while length > 0, index < body.count, body[index] == 0 { length -= 1; index += 1 }
            facts.dhBits = length * 8
        }
    }

    /// The cipher suite of a ServerHello at the start of `bytes`, if it has arrived whole.
    static func cipherSuite(in bytes: [UInt8]) -> UInt16? {
        facts(in: bytes).0?.suite
    }

    /// IANA names of the suites a server may choose (RFC 8446 §B.4, RFC 5289, RFC 7905).
    static func name(_ suite: UInt16) -> String {
        names[suite] ?? String(format: "0x%04X", suite)
    }

    static let names: [UInt16: String] = [
        0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384",
        0x1303: "TLS_CHACHA20_POLY1305_SHA256",
        0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAA: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xC023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xC024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xC027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x009E: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009F: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0x0033: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 0x0039: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", 0x006B: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x003C: "TLS_RSA_WITH_AES_128_CBC_SHA256", 0x003D: "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", 0xC012: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    ]
}
