/// Word lists and places for the synthetic shop. Emails use the reserved example domains and
/// phone numbers the 555 exchange, so nothing generated belongs to a real person.
enum GeneratorVocabulary {
    static let firstNames = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
        "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily",
        "Andrew", "Donna", "Kenji", "Michelle", "Joshua", "Carol", "Wei", "Amanda", "Kevin", "Maria",
        "Brian", "Aisha", "Omar", "Sofia", "Priya", "Luis", "Olivia", "Noah", "Emma", "Liam",
    ]
    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "O'Brien", "Kim", "Patel", "Chen", "Müller", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    ]
    static let streets = [
        "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
        "Sunset", "Lincoln", "Jackson", "River", "Church", "Highland", "Forest", "Spring", "Meadow", "Ridge",
    ]
    static let streetSuffixes = ["St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way"]

    /// (city, state, zip prefix, area code, weight): weights roughly follow population.
    static let places: [(String, String, Int, Int, Double)] = [
        ("New York", "NY", 100, 212, 8.3), ("Los Angeles", "CA", 900, 213, 4.0), ("Chicago", "IL", 606, 312, 2.7),
        ("Houston", "TX", 770, 713, 2.3), ("Phoenix", "AZ", 850, 602, 1.6), ("Philadelphia", "PA", 191, 215, 1.6),
        ("San Antonio", "TX", 782, 210, 1.5), ("San Diego", "CA", 921, 619, 1.4), ("Dallas", "TX", 752, 214, 1.3),
        ("El Paso", "TX", 799, 915, 0.7), ("Jacksonville", "FL", 322, 904, 0.9), ("Pensacola", "FL", 325, 850, 0.3),
        ("Miami", "FL", 331, 305, 0.5), ("Columbus", "OH", 432, 614, 0.9), ("Indianapolis", "IN", 462, 317, 0.9),
        ("Gary", "IN", 464, 219, 0.2), ("Seattle", "WA", 981, 206, 0.7), ("Denver", "CO", 802, 303, 0.7),
        ("Nashville", "TN", 372, 615, 0.7), ("Memphis", "TN", 381, 901, 0.6), ("Knoxville", "TN", 379, 865, 0.2),
        ("Louisville", "KY", 402, 502, 0.6), ("Paducah", "KY", 420, 270, 0.1), ("Portland", "OR", 972, 503, 0.6),
        ("Ontario", "OR", 979, 541, 0.05), ("Boise", "ID", 837, 208, 0.2), ("Coeur d'Alene", "ID", 838, 208, 0.05),
        ("Detroit", "MI", 482, 313, 0.6), ("Ironwood", "MI", 499, 906, 0.02), ("Boston", "MA", 021, 617, 0.7),
        ("Atlanta", "GA", 303, 404, 0.5), ("Omaha", "NE", 681, 402, 0.5), ("North Platte", "NE", 691, 308, 0.03),
        ("Wichita", "KS", 672, 316, 0.4), ("Goodland", "KS", 677, 785, 0.01), ("Fargo", "ND", 581, 701, 0.1),
        ("Dickinson", "ND", 586, 701, 0.02), ("Sioux Falls", "SD", 571, 605, 0.2), ("Rapid City", "SD", 577, 605, 0.07),
        ("Anchorage", "AK", 995, 907, 0.3), ("Honolulu", "HI", 968, 808, 0.3), ("Las Vegas", "NV", 891, 702, 0.6),
        ("Salt Lake City", "UT", 841, 801, 0.2), ("Minneapolis", "MN", 554, 612, 0.4), ("Charlotte", "NC", 282, 704, 0.9),
        ("Baltimore", "MD", 212, 410, 0.6), ("Milwaukee", "WI", 532, 414, 0.6), ("Albuquerque", "NM", 871, 505, 0.6),
        ("Tucson", "AZ", 857, 520, 0.5), ("New Orleans", "LA", 701, 504, 0.4),
    ]

    /// (category, product count weight, typical price, seasonality boost in Nov-Dec).
    static let categories: [(String, Double, Double, Double)] = [
        ("Books", 1.6, 16, 1.3), ("Electronics", 1.0, 140, 1.9), ("Home", 1.2, 45, 1.3), ("Toys", 0.9, 28, 2.4),
        ("Garden", 0.7, 35, 0.7), ("Beauty", 0.9, 22, 1.5), ("Sports", 0.8, 55, 1.1), ("Grocery", 0.9, 9, 1.1),
    ]
    static let adjectives = [
        "Classic", "Deluxe", "Compact", "Essential", "Premium", "Eco", "Smart", "Vintage", "Ultra", "Everyday",
        "Pro", "Mini", "Family", "Travel", "Organic", "Bright", "Silent", "Rapid", "Cozy", "Bold",
    ]
    static let nouns: [String: [String]] = [
        "Books": ["Novel", "Cookbook", "Atlas", "Biography", "Guide", "Anthology", "Journal", "Thriller"],
        "Electronics": ["Headphones", "Speaker", "Charger", "Tablet", "Camera", "Keyboard", "Monitor", "Router"],
        "Home": ["Lamp", "Blanket", "Kettle", "Mug Set", "Pillow", "Clock", "Vase", "Towel Set"],
        "Toys": ["Puzzle", "Robot", "Doll", "Board Game", "Kite", "Blocks", "Train Set", "Plush Bear"],
        "Garden": ["Planter", "Hose", "Seeds", "Trowel", "Bird Feeder", "Gloves", "Sprinkler", "Lantern"],
        "Beauty": ["Lotion", "Shampoo", "Perfume", "Lip Balm", "Face Mask", "Soap", "Serum", "Brush"],
        "Sports": ["Yoga Mat", "Water Bottle", "Dumbbells", "Tennis Balls", "Backpack", "Jump Rope", "Helmet", "Socks"],
        "Grocery": ["Coffee", "Tea", "Chocolate", "Olive Oil", "Granola", "Honey", "Pasta", "Spice Mix"],
    ]
}
