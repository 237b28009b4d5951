/// A model saved with its kind, so that it decodes as the right type: how a blend saves its
/// components and `auto` the model it chose.
struct TaggedModel: Codable {
    var kind: String
    var model: any Forecaster

    init(_ model: any Forecaster) { kind = model.name; self.model = model }

    enum CodingKeys: String, CodingKey { case kind, model }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        model = try ModelCatalog.decodeModel(kind: kind, from: c, forKey: .model)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(model, forKey: .model)
    }
}
