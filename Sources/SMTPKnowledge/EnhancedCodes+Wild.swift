import SMTPCore

/// An enhanced code that real servers send outside the registry, or with a meaning of their
/// own for a registered one.
public struct WildCodeInfo: Sendable {
    public let statusClass: Int
    public let subject: Int
    /// The details it covers: one, or a range a provider documents as one entry.
    public let details: ClosedRange<Int>
    /// Who sends it.
    public let sender: String
    public let title: Localized
    public let meaning: Localized
    public let reference: String

    init(_ statusClass: Int, _ subject: Int, _ details: ClosedRange<Int>, _ sender: String, _ title: Localized,
         _ meaning: Localized, ref reference: String) {
        self.statusClass = statusClass
        self.subject = subject
        self.details = details
        self.sender = sender
        self.title = title
        self.meaning = meaning
        self.reference = reference
    }

    /// "5.7.606–649" or "5.1.10".
    public var display: String {
        details.count == 1 ? "\(statusClass).\(subject).\(details.lowerBound)"
                           : "\(statusClass).\(subject).\(details.lowerBound)–\(details.upperBound)"
    }

    func covers(_ code: EnhancedStatusCode) -> Bool {
        code.statusClass == statusClass && code.subject == subject && details.contains(code.detail)
    }
}

extension EnhancedCodes {
    /// The code as a provider uses it, when it is one smtpx knows of.
    public static func wild(_ code: EnhancedStatusCode) -> WildCodeInfo? { wild.first { $0.covers(code) } }

    static let microsoft = "Microsoft 365 / Exchange Online"
    static let microsoftReference = "Microsoft Learn: NDRs in Exchange Online"

    /// Codes documented by the providers that send them. A registered code listed here has a
    /// second, provider-specific meaning, and the explanation says both.
    public static let wild: [WildCodeInfo] = [
        WildCodeInfo(5, 1, 10...10, microsoft, L("Recipient not found", "找不到收件人"),
            L("Microsoft 365 sends 5.1.10 when the address is not in the recipient organization's directory (RESOLVER.ADR.RecipientNotFound). The registry gives 5.1.10 to a null MX instead: here it means a mistyped or deleted mailbox.",
              "当地址不在收件方组织的目录中时，Microsoft 365 发送 5.1.10（RESOLVER.ADR.RecipientNotFound）。注册表把 5.1.10 分配给空 MX：在这里它的意思是邮箱地址写错了或已被删除。"),
            ref: microsoftReference),
        WildCodeInfo(5, 1, 8...8, microsoft, L("Access denied, bad outbound sender", "拒绝访问：发件账户被封"),
            L("Microsoft 365 blocked the sending account after it sent spam (often a stolen password); the registry's meaning, a bad sender domain, does not apply.",
              "发件账户发送了垃圾邮件（常因密码被盗）后被 Microsoft 365 封禁；注册表中的含义（发件域名有误）在这里不适用。"),
            ref: microsoftReference),
        WildCodeInfo(5, 1, 90...90, microsoft, L("Daily recipient limit reached", "已达到每日收件人上限"),
            L("The account has sent to more recipients today than its plan allows; sending works again after 24 hours.",
              "这个账户今天发送的收件人数超过了套餐允许的数量；24 小时后才能再次发送。"),
            ref: microsoftReference),
        WildCodeInfo(5, 2, 121...122, microsoft, L("Recipient's hourly receive limit exceeded", "超过了收件人每小时的接收上限"),
            L("The recipient receives too many messages per hour (121: from this sender, 122: from everyone); retry later.",
              "收件人每小时收到的邮件太多（121：来自这个发件人；122：来自所有人）；稍后重试。"),
            ref: microsoftReference),
        WildCodeInfo(5, 4, 1...1, microsoft, L("Recipient address rejected: access denied", "收件人地址被拒绝：拒绝访问"),
            L("Microsoft 365's directory-based edge blocking: the recipient is not in the organization's directory, so the message is refused at the door. The registry's 5.4.1 means \"no answer from host\"; here the host answered.",
              "Microsoft 365 的基于目录的边缘阻止：收件人不在组织目录中，邮件在入口处就被拒绝。注册表中的 5.4.1 表示「主机无应答」；而在这里主机已经应答了。"),
            ref: microsoftReference),
        WildCodeInfo(5, 4, 14...14, microsoft, L("Hop count exceeded: possible mail loop", "超过跳数：可能存在邮件环路"),
            L("The message passed through too many servers (too many Received: headers), usually because two servers forward to each other.",
              "邮件经过了太多服务器（Received: 邮件头太多），通常是因为两台服务器互相转发。"),
            ref: microsoftReference),
        WildCodeInfo(4, 4, 316...316, microsoft, L("Connection refused", "连接被拒绝"),
            L("Exchange could not connect to the next server (refused or timed out) and keeps the message queued for retry.",
              "Exchange 无法连接下一台服务器（被拒绝或超时），邮件留在队列中等待重试。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 57...57, microsoft, L("Client not authenticated to send mail", "客户端未经认证，不能发送邮件"),
            L("smtp.office365.com takes mail only after AUTH: the client sent MAIL FROM without logging in.",
              "smtp.office365.com 只在 AUTH 之后收邮件：客户端没有登录就发送了 MAIL FROM。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 64...64, microsoft, L("Relay access denied (tenant attribution)", "拒绝中继（租户归属）"),
            L("Microsoft 365 could not tie the connection to a tenant's connector (certificate or IP), so it will not relay for it.",
              "Microsoft 365 无法把这个连接对应到某个租户的连接器（证书或 IP），因此不会为它中继。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 124...124, microsoft, L("Sender not in the group's allowed senders", "发件人不在该组的允许发件人列表中"),
            L("The recipient is a distribution group that accepts mail only from listed senders.", "收件人是一个只接收指定发件人邮件的通讯组。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 501...501, microsoft, L("Access denied: spam abuse detected", "拒绝访问：检测到垃圾邮件滥用"),
            L("The sending account is blocked for sending spam; an administrator must release it.", "发件账户因发送垃圾邮件被封禁；必须由管理员解除。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 509...509, microsoft, L("Access denied: DMARC reject", "拒绝访问：DMARC 拒绝"),
            L("The From: domain fails DMARC and publishes p=reject, so Microsoft 365 refuses the message.",
              "From: 的域名没有通过 DMARC，并且发布了 p=reject，所以 Microsoft 365 拒收这封邮件。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 511...511, microsoft, L("Access denied: banned sender", "拒绝访问：发件人被禁止"),
            L("The sending address or domain is on Microsoft's block list.", "发件地址或域名在 Microsoft 的阻止列表中。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 606...649, microsoft, L("Access denied: banned sending IP", "拒绝访问：发送 IP 被禁止"),
            L("The connecting IP address is on Microsoft's block list; its owner can ask for delisting on Microsoft's delist portal.",
              "连接的 IP 地址在 Microsoft 的阻止列表中；IP 的所有者可以在 Microsoft 的解除列入网站上申请移除。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 700...749, microsoft, L("Access denied: tenant has exceeded its threshold", "拒绝访问：租户超过了阈值"),
            L("The whole sending organization is blocked, most often after a burst of spam from new accounts.",
              "整个发件组织都被封禁，最常见的原因是新账户突然发出大量垃圾邮件。"),
            ref: microsoftReference),
        WildCodeInfo(5, 7, 750...750, microsoft, L("Client blocked from sending from unregistered domains", "客户端被禁止从未注册的域名发信"),
            L("The tenant sends from domains it has not added and verified in Microsoft 365.", "该租户使用尚未在 Microsoft 365 中添加并验证的域名发信。"),
            ref: microsoftReference),
        WildCodeInfo(4, 7, 500...699, microsoft, L("Access denied, try again later", "拒绝访问，请稍后重试"),
            L("Microsoft throttles traffic it finds suspicious; retry slowly, the block lifts by itself if the traffic is clean.",
              "Microsoft 对它认为可疑的流量进行限流；放慢速度重试，如果流量正常，限制会自动解除。"),
            ref: microsoftReference),
        WildCodeInfo(5, 6, 11...11, "Microsoft Exchange", L("Bare line feeds are illegal", "不允许单独的换行符"),
            L("The message contains an LF without CR (SMTPSEND.BareLinefeedsAreIllegal); RFC 5321 §2.3.8 asks for CRLF at every line end.",
              "邮件中含有没有 CR 的 LF（SMTPSEND.BareLinefeedsAreIllegal）；RFC 5321 §2.3.8 要求每行都以 CRLF 结尾。"),
            ref: microsoftReference),
    ]
}
