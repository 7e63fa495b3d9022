import SMTPCore

/// What each step of a mail route means, in both languages.
public enum RouteTexts {
    public static func explain(_ step: RouteStep) -> Localized {
        switch step {
        case .query(let question): return query(question)
        case .answer(let record, let state): return answer(record, state)
        case .note(let note): return self.note(note)
        }
    }

    static func query(_ question: DNSQuestion) -> Localized {
        if question.checkingDisabled {
            return L("The same question with checking disabled (CD): if the answer exists without DNSSEC validation, the SERVFAIL was a validation failure.",
                     "关闭检查（CD）后再问一次同样的问题：如果不经 DNSSEC 验证就有答案，那么刚才的 SERVFAIL 就是验证失败。")
        }
        switch question.type {
        case .cname:
            return L("Is {0} an alias? A sender first follows CNAME records to the canonical name (RFC 5321 §5.1).",
                     "{0} 是别名吗？发送方先沿着 CNAME 记录找到规范名称（RFC 5321 §5.1）。").format(question.name)
        case .mx:
            return L("Which hosts take mail for {0}? Its MX records name them, each with a preference.",
                     "哪些主机接收 {0} 的邮件？它的 MX 记录列出了这些主机，每条都有一个优先级。").format(question.name)
        case .a:
            return L("The IPv4 addresses (A) of {0}: where a sender connects, port 25.", "{0} 的 IPv4 地址（A 记录）：发送方要连接的地方，端口 25。")
                .format(question.name)
        case .aaaa:
            return L("The IPv6 addresses (AAAA) of {0}.", "{0} 的 IPv6 地址（AAAA 记录）。").format(question.name)
        case .ptr:
            return L("Which name does the address {0} say it has? Its PTR record (reverse DNS).", "地址 {0} 自称叫什么名字？它的 PTR 记录（反向 DNS）。")
                .format(question.name)
        case .txt:
            return L("The TXT records of {0}: MTA-STS and TLS-RPT publish their settings there.",
                     "{0} 的 TXT 记录：MTA-STS 和 TLS-RPT 在那里发布设置。").format(question.name)
        case .tlsa:
            return L("The TLSA records of {0}: which certificates DANE lets this server present (RFC 6698).",
                     "{0} 的 TLSA 记录：DANE 允许这台服务器出示哪些证书（RFC 6698）。").format(question.name)
        }
    }

    static func answer(_ record: DNSRecord, _ state: DNSSECState) -> Localized {
        var text: Localized
        switch record.data {
        case .name(let target):
            text = L("{0} is an alias of {1}: the lookup goes on with {1}.", "{0} 是 {1} 的别名：查找继续用 {1} 进行。").format(record.name, target)
        case .mx(let preference, let exchange) where exchange.isEmpty:
            text = L("MX {0} \".\": the null MX. {1} says it takes no mail at all (RFC 7505).",
                     "MX {0} 「.」：空 MX。{1} 声明它根本不收邮件（RFC 7505）。").format(preference, record.name)
        case .mx(let preference, let exchange):
            text = L("{0} takes mail for {1}, preference {2}: the lower the number, the sooner a sender tries it.",
                     "{0} 为 {1} 接收邮件，优先级 {2}：数字越小，发送方越先尝试它。").format(exchange, record.name, preference)
        case .address(let address) where address.contains(":"):
            text = L("{0} is at {1} (IPv6).", "{0} 的地址是 {1}（IPv6）。").format(record.name, address)
        case .address(let address):
            text = L("{0} is at {1}: a sender connects there.", "{0} 的地址是 {1}：发送方就连接到那里。").format(record.name, address)
        case .pointer(let target):
            text = L("{0} calls itself {1}.", "{0} 自称 {1}。").format(record.name, target)
        case .text, .tlsa:
            text = L("A {0} record, not used for routing mail.", "一条 {0} 记录，不用于邮件路由。").format(record.typeName)
        case .other(let type, _):
            text = L("A {0} record, not used for routing mail.", "一条 {0} 记录，不用于邮件路由。").format(type)
        }
        text = text.appending(L(" Caches may keep it for {0} s.", "缓存可以把它保留 {0} 秒。").format(record.ttl))
        switch state {
        case .secure:
            text = text.appending(L(" The resolver validated it (DNSSEC, the AD bit).", "解析器已经验证了它（DNSSEC，AD 位）。"))
        case .bogus:
            text = text.appending(L(" It failed DNSSEC validation: it may be forged.", "它没有通过 DNSSEC 验证：可能是伪造的。"))
        case .insecure:
            break
        }
        return text
    }

    static func note(_ note: RouteNote) -> Localized {
        switch note {
        case .chainEnds(let name):
            return L("{0} has no CNAME: it is the canonical name. Now its MX records.", "{0} 没有 CNAME：它就是规范名称。接下来查它的 MX 记录。").format(name)
        case .cnameLoop(let name):
            return L("The CNAME chain comes back to {0}: a loop. No sender can follow it; the mail bounces.",
                     "CNAME 链又回到了 {0}：形成了循环。没有发送方能跟着走下去；邮件会被退回。").format(name)
        case .chainTooLong(let hops):
            return L("More than {0} CNAME hops: senders give up on chains this long.", "CNAME 超过了 {0} 跳：发送方会放弃这么长的链。").format(hops - 1)
        case .implicitMX(let name):
            return L("{0} has no MX record: its own address is used instead (the implicit MX, RFC 5321 §5.1).",
                     "{0} 没有 MX 记录：改用它自己的地址（隐式 MX，RFC 5321 §5.1）。").format(name)
        case .nullMX(let name):
            return L("Null MX: {0} takes no mail (RFC 7505). A sender bounces at once instead of retrying for days.",
                     "空 MX：{0} 不收邮件（RFC 7505）。发送方会立即退信，而不是重试好几天。").format(name)
        case .equalPreference(let preference, let hosts):
            return L("Preference {0} is shared by {1}: a sender picks among them at random, to spread the load (RFC 5321 §5.1).",
                     "{1} 的优先级都是 {0}：发送方在它们之中随机选择，以分散负载（RFC 5321 §5.1）。")
                .format(preference, hosts.joined(separator: ", "))
        case .exchangerIsAlias(let host, let target):
            return L("The MX names {0}, which is an alias of {1}. RFC 2181 §10.3 forbids that; most senders follow it anyway, some do not.",
                     "MX 指向的 {0} 是 {1} 的别名。RFC 2181 §10.3 禁止这样做；大多数发送方仍会跟着走，但有些不会。").format(host, target)
        case .exchangerIsAddress(let host):
            return L("The MX names {0}, an address: an MX must name a host (RFC 5321 §5.1), so senders skip it.",
                     "MX 指向的 {0} 是一个地址：MX 必须指向主机名（RFC 5321 §5.1），所以发送方会跳过它。").format(host)
        case .noSuchName(let name):
            return L("NXDOMAIN: {0} does not exist. Mail to it bounces.", "NXDOMAIN：{0} 不存在。发往它的邮件会被退回。").format(name)
        case .noSuchHost(let host):
            return L("NXDOMAIN: the exchanger {0} does not exist, so a sender skips it and tries the next.",
                     "NXDOMAIN：邮件交换主机 {0} 不存在，所以发送方跳过它，尝试下一个。").format(host)
        case .noRecords(let name, let type):
            return L("{0} exists but has no {1} record (NODATA).", "{0} 存在，但没有 {1} 记录（NODATA）。").format(name, type.rawValue)
        case .serverFailure(let name):
            return L("SERVFAIL for {0}: the resolver could not get an answer (a broken or unreachable server, or failed validation).",
                     "{0} 返回 SERVFAIL：解析器没能得到答案（服务器故障或无法访问，或者验证失败）。").format(name)
        case .bogus(let name):
            return L("Bogus: with checking disabled the answer for {0} is there, so DNSSEC validation failed. A validating sender delivers nothing there.",
                     "伪造（bogus）：关闭检查后 {0} 的答案就出现了，所以是 DNSSEC 验证失败。进行验证的发送方不会向那里投递任何东西。").format(name)
        case .notValidation(let name):
            return L("Still SERVFAIL for {0} with checking disabled: the failure is not DNSSEC's; a server behind the resolver is broken or unreachable.",
                     "关闭检查后 {0} 仍然返回 SERVFAIL：这不是 DNSSEC 的问题；解析器背后的某台服务器坏了或无法访问。").format(name)
        case .refused(let name):
            return L("REFUSED for {0}: the resolver will not answer this client.", "{0} 返回 REFUSED：解析器不愿意回答这个客户端。").format(name)
        case .timeout(let name):
            return L("No answer about {0}: the resolver stayed silent. A sender keeps the mail and tries again later.",
                     "关于 {0} 没有任何回答：解析器一直沉默。发送方会保留邮件，稍后再试。").format(name)
        case .network(let name, let why):
            return L("Asking about {0} failed: {1}.", "查询 {0} 失败：{1}。").format(name, why)
        case .truncated(let name):
            return L("The answer about {0} did not fit in a UDP datagram (TC): asked again over TCP.",
                     "关于 {0} 的回答放不进一个 UDP 数据报（TC）：改用 TCP 重新查询。").format(name)
        case .noAddresses(let host):
            return L("{0} has no address: a sender cannot use this exchanger.", "{0} 没有地址：发送方无法使用这个邮件交换主机。").format(host)
        }
    }

    public static func result(_ result: RouteResult, domain: String) -> Localized {
        switch result {
        case .deliverable:
            return L("Mail for {0} can be delivered: a sender tries the exchangers below in order.", "发往 {0} 的邮件可以投递：发送方按下面的顺序尝试各个邮件交换主机。")
                .format(domain)
        case .nullMX: return L("{0} takes no mail (null MX).", "{0} 不收邮件（空 MX）。").format(domain)
        case .noSuchDomain: return L("There is nowhere to deliver mail for {0}.", "发往 {0} 的邮件无处可投。").format(domain)
        case .noAddress: return L("{0} names exchangers, but none has an address.", "{0} 列出了邮件交换主机，但没有一个有地址。").format(domain)
        case .serverFailure: return L("The resolver failed for {0}: a sender would keep the mail and retry.", "解析 {0} 失败：发送方会保留邮件并重试。").format(domain)
        case .timeout: return L("The resolver did not answer about {0}: a sender would retry later.", "解析器没有回答关于 {0} 的查询：发送方会稍后重试。").format(domain)
        }
    }

    public static func dnssec(_ state: DNSSECState) -> Localized {
        switch state {
        case .secure: return L("secure: the resolver validated every answer", "安全：解析器验证了每一个回答")
        case .insecure: return L("insecure: not signed, or the resolver does not validate", "不安全：没有签名，或者解析器不做验证")
        case .bogus: return L("bogus: an answer failed validation", "伪造：有回答没有通过验证")
        }
    }

    /// What is wrong with a name given to `smtpx route`.
    public static func problem(_ problem: DomainNameProblem) -> Localized {
        switch problem {
        case .empty: return L("nothing to look up: give an address or a domain", "没有要查的内容：请给出地址或域名")
        case .badAddress(let text):
            return L("{0} is not an address: write user@example.org, or just the domain", "{0} 不是地址：请写成 user@example.org，或者只写域名").format(text)
        case .emptyLabel: return L("a domain cannot have an empty label (two dots in a row)", "域名不能有空标签（连续两个点）")
        case .labelTooLong(let label):
            return L("the label {0} is {1} octets; DNS allows 63 (RFC 1035 §2.3.4)", "标签 {0} 有 {1} 个字节；DNS 最多允许 63 个（RFC 1035 §2.3.4）")
                .format(label.prefix(20) + "…", label.utf8.count)
        case .nameTooLong(let count): return L("the name is {0} octets; DNS allows 253", "这个名称有 {0} 个字节；DNS 最多允许 253 个").format(count)
        case .badCharacter(let character):
            return L("\"{0}\" cannot appear in a host name (letters, digits and hyphens only)", "「{0}」不能出现在主机名中（只能是字母、数字和连字符）")
                .format(String(character).unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined())
        case .hyphenAtEdge(let label): return L("the label {0} starts or ends with a hyphen", "标签 {0} 以连字符开头或结尾").format(label)
        case .notConvertible(let why): return L("the name cannot be written in DNS (IDNA: {0})", "这个名称无法写成 DNS 名称（IDNA：{0}）").format(why)
        }
    }
}
