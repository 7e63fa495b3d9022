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

    /// `--present`: what a projector shows — stream and explanation stacked whatever the width,
    /// or one of them on the whole screen.
    public enum Presentation: Sendable, Equatable, CaseIterable {
        case both, stream, explanation
    }

    public init(width: Int, height: Int, present: Presentation? = nil) {
        self.width = width
        self.height = height
        wide = present == nil && width >= Self.wideThreshold
        separator = height - 3
        input = Rect(x: 2, y: height - 2, width: width - 4, height: 1)
        footer = height - 1
        let body = height - 4
        if wide {
            let streamWidth = (width - 3) * 58 / 100
            stream = Rect(x: 1, y: 1, width: streamWidth, height: body)
            explainer = Rect(x: streamWidth + 3, y: 1, width: width - streamWidth - 5, height: body)
            divider = streamWidth + 1
        } else if let present, present != .both {
            // One pane on the whole body; the other is empty and the divider sits at its edge.
            let streamHeight = present == .stream ? body : 0
            stream = Rect(x: 1, y: 1, width: width - 2, height: streamHeight)
            divider = present == .stream ? separator : 1
            explainer = Rect(x: 2, y: divider + 1, width: width - 4, height: present == .stream ? 0 : body - 1)
        } else {
            let streamHeight = max(3, (body - 1) * (present == nil ? 55 : 45) / 100)
            stream = Rect(x: 1, y: 1, width: width - 2, height: streamHeight)
            divider = 1 + streamHeight
            explainer = Rect(x: 2, y: divider + 1, width: width - 4, height: body - streamHeight - 1)
        }
    }

    public var fits: Bool { width >= Self.minimumWidth && height >= Self.minimumHeight }
}
