/// Causes and next steps for the enhanced codes people meet most. A key with a class
/// (`4.7.1`) wins over the registry key (`X.7.1`).
enum EnhancedAdvice {
    struct Entry {
        let causes: Localized
        let advice: Localized
    }

    /// The advice for a code; the registry key's advice is about failures, so a success
    /// (class 2) only gets advice written for it.
    static func entry(for code: String, key: String) -> Entry? {
        if code.hasPrefix("2.") { return table[code] }
        return table[code] ?? table[key]
    }

    static let table: [String: Entry] = [
        "X.1.1": Entry(
            causes: L("A typo in the address, a mailbox that was deleted, or a server that checks recipients against its directory.",
                      "地址拼写错误、邮箱已被删除，或服务器根据其目录核对收件人。"),
            advice: L("Check the spelling of the part before the @. Ask the recipient for the right address; retrying will not help.",
                      "检查 @ 前面部分的拼写，向收件人确认正确地址；重试没有用。")),
        "X.1.2": Entry(
            causes: L("A misspelt domain, or a domain with no mail servers.", "域名拼错，或者该域名没有邮件服务器。"),
            advice: L("Check the domain after the @; look up its MX records.", "检查 @ 后面的域名；查询它的 MX 记录。")),
        "X.1.3": Entry(
            causes: L("Missing angle brackets, spaces or forbidden characters in the address.", "地址缺少尖括号，或含有空格、禁止使用的字符。"),
            advice: L("Write the recipient as RCPT TO:<user@example.org>.", "把收件人写成 RCPT TO:<user@example.org>。")),
        "X.1.7": Entry(
            causes: L("The MAIL FROM address is malformed.", "MAIL FROM 地址格式错误。"),
            advice: L("Write the sender as MAIL FROM:<you@example.org>, or MAIL FROM:<> for a bounce.",
                      "把发件人写成 MAIL FROM:<you@example.org>；退信使用 MAIL FROM:<>。")),
        "X.1.10": Entry(
            causes: L("The recipient's domain has a null MX record: it has declared it takes no mail.", "收件人域名有空 MX 记录：声明自己不收邮件。"),
            advice: L("The address cannot receive mail; find another way to reach the recipient.", "这个地址收不到邮件；换一种方式联系收件人。")),
        "X.2.1": Entry(
            causes: L("The account is suspended or closed, or does not accept mail from outside.", "账户被暂停或已关闭，或者不接收外部邮件。"),
            advice: L("Contact the recipient another way.", "通过其他方式联系收件人。")),
        "4.2.2": Entry(
            causes: L("The recipient's mailbox is over quota for now.", "收件人的邮箱暂时超出配额。"),
            advice: L("Retry later; the recipient may free some space.", "稍后重试；收件人可能会腾出空间。")),
        "5.2.2": Entry(
            causes: L("The recipient's mailbox is full and the server treats it as permanent.", "收件人邮箱已满，服务器把它当作永久性问题。"),
            advice: L("Tell the recipient another way; send again once they have cleaned up.", "通过其他方式告诉收件人；等对方清理后再发。")),
        "X.3.4": Entry(
            causes: L("The message is larger than the server's SIZE limit, often because of attachments.", "邮件超过服务器的 SIZE 限制，通常是因为附件。"),
            advice: L("Compare with SIZE in the EHLO reply; send a link instead of a large attachment.",
                      "与 EHLO 回复中的 SIZE 比较；用链接代替大附件。")),
        "X.4.4": Entry(
            causes: L("The destination domain has no usable MX or address record.", "目的域名没有可用的 MX 或地址记录。"),
            advice: L("Check the domain's DNS.", "检查该域名的 DNS。")),
        "X.5.1": Entry(
            causes: L("An unknown command, or a known command at the wrong moment.", "不认识的命令，或在错误时机发送的已知命令。"),
            advice: L("Check the order: EHLO, MAIL FROM, RCPT TO, DATA.", "检查顺序：EHLO、MAIL FROM、RCPT TO、DATA。")),
        "X.5.2": Entry(
            causes: L("A typo in the command or its argument.", "命令或参数中有拼写错误。"),
            advice: L("Compare your line with the syntax smtpx shows under the input.", "把你输入的行与 smtpx 在输入框下方显示的语法对比。")),
        "X.5.3": Entry(
            causes: L("The server takes only so many recipients per message.", "服务器对每封邮件的收件人数量有上限。"),
            advice: L("Finish this message with the accepted recipients and send the others in another transaction.",
                      "用已被接受的收件人完成这封邮件，其余收件人在另一个事务中发送。")),
        "X.5.4": Entry(
            causes: L("A parameter or argument the server does not support.", "服务器不支持的参数。"),
            advice: L("Use only the parameters of the extensions in the EHLO reply.", "只使用 EHLO 回复中所列扩展的参数。")),
        "X.7.0": Entry(
            causes: L("Often \"must issue STARTTLS first\" or \"authentication required\", or a TLS problem.",
                      "常见于「必须先执行 STARTTLS」或「需要认证」，或 TLS 出了问题。"),
            advice: L("Read the text; run STARTTLS, EHLO again and AUTH if the server asks for them.",
                      "阅读回复文字；如果服务器要求，依次执行 STARTTLS、再次 EHLO 和 AUTH。")),
        "4.7.1": Entry(
            causes: L("A temporary policy refusal: greylisting, rate limits, or a reputation check that is still pending.",
                      "暂时性的策略拒绝：灰名单、频率限制，或尚未完成的信誉检查。"),
            advice: L("Retry later with the same sender and recipients; a real MTA does so from its queue.",
                      "稍后用相同的发件人和收件人重试；真正的邮件服务器会从队列中自动重试。")),
        "5.7.1": Entry(
            causes: L("Relaying refused (the domain is not local and you did not authenticate), the sender's IP or domain on a blocklist, or a recipient who refuses this sender.",
                      "拒绝中继（域名不是本地的，而你没有认证）、发件 IP 或域名在黑名单上，或收件人拒收这个发件人。"),
            advice: L("To send to other domains, authenticate first (AUTH). If you are blocked, the sender's administrator must clear the listing.",
                      "要发往其他域名，请先认证（AUTH）。如果被封锁，需要发件方管理员申请解除。")),
        "X.7.8": Entry(
            causes: L("A wrong password, a wrongly encoded AUTH response, or an account that needs an app password.",
                      "密码错误、AUTH 应答编码错误，或账户需要应用专用密码。"),
            advice: L("Let smtpx encode the exchange (/auth plain USER) and check the password.",
                      "让 smtpx 编码整个交换（/auth plain 用户名），并检查密码。")),
        "X.7.11": Entry(
            causes: L("A plaintext mechanism over an unencrypted connection.", "在未加密的连接上使用了明文类机制。"),
            advice: L("Run STARTTLS, send EHLO again, then AUTH.", "执行 STARTTLS，再发 EHLO，然后 AUTH。")),
        "X.7.23": Entry(
            causes: L("The sending IP is not listed in the sender domain's SPF record.", "发送 IP 不在发件域名的 SPF 记录中。"),
            advice: L("The sender's administrator must add the sending server to the domain's SPF record.",
                      "发件方管理员需要把发送服务器加入域名的 SPF 记录。")),
        "X.7.25": Entry(
            causes: L("The sending IP has no PTR record, or it does not match.", "发送 IP 没有 PTR 记录，或记录不匹配。"),
            advice: L("The sender's administrator must set reverse DNS for the sending IP.", "发件方管理员需要为发送 IP 设置反向 DNS。")),
        "X.7.26": Entry(
            causes: L("The message is not authenticated: SPF and DKIM both fail, or DMARC tells the receiver to reject it.",
                      "邮件没有通过认证：SPF 和 DKIM 都失败，或者 DMARC 要求接收方拒收。"),
            advice: L("The sender's domain must publish SPF, sign with DKIM and align with DMARC; a learner's test server cannot pass this at Gmail.",
                      "发件域名需要发布 SPF、用 DKIM 签名并与 DMARC 对齐；学习用的测试服务器在 Gmail 上无法通过这项检查。")),
    ]
}
