/// Where each pane goes. Wide terminals put the explainer on the right; under 100 columns
/// it goes under the stream.
public struct Layout: Sendable, Equatable {
    public static let wideThreshold = 100
    public static let minimumWidth = 40
    public static let minimumHeight = 12

    public let width: Int
    public let height: Int
    public let wide: Bool
    public let stream: Rect
    public let explainer: Rect
    /// Narrow layout: the row between stream and explainer, where the explainer's title goes.
    public let divider: Int
    public let separator: Int
    public let input: Rect
    public let footer: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        wide = width >= Self.wideThreshold
        separator = height - 3
        input = Rect(x: 2, y: height - 2, width: width - 4, height: 1)
        footer = height - 1
        let body = height - 4
        if wide {
            let streamWidth = (width - 3) * 58 / 100
            stream = Rect(x: 1, y: 1, width: streamWidth, height: body)
            explainer = Rect(x: streamWidth + 3, y: 1, width: width - streamWidth - 5, height: body)
            divider = streamWidth + 1
        } else {
            let streamHeight = max(3, (body - 1) * 55 / 100)
            stream = Rect(x: 1, y: 1, width: width - 2, height: streamHeight)
            divider = 1 + streamHeight
            explainer = Rect(x: 2, y: divider + 1, width: width - 4, height: body - streamHeight - 1)
        }
    }

    public var fits: Bool { width >= Self.minimumWidth && height >= Self.minimumHeight }
}
