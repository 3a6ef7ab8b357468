package bot

// The classifier's word lists, folded (lower case, no accents), English and
// French together. Phrases are whole folded words separated by one space;
// an apostrophe splits words ("quelqu'un" is "quelqu un").

var (
	personWords = setOf("human", "humans", "humain", "humaine", "representative", "operator",
		"operateur", "operatrice", "interlocuteur", "manager", "supervisor", "superviseur")
	personPhrases = []string{
		"real person", "to a person", "with a person", "actual person", "live person", "speak to someone",
		"talk to someone", "speak with someone", "talk with someone", "speak to somebody",
		"talk to somebody", "someone real", "customer service", "customer support team",
		"call me", "phone me", "support staff", "connect me", "transfer me", "put me through",
		"quelqu un", "a une personne", "avec une personne", "vraie personne", "un conseiller",
		"une conseillere", "au conseiller", "le conseiller", "service client", "service clientele",
		"rappelez moi", "appelez moi",
	}
	// notPersonAgent are words before "agent" that make it an ingredient.
	notPersonAgent = setOf("cleansing", "active", "exfoliating", "foaming", "chelating",
		"bulking", "soothing", "conditioning", "nettoyant", "actif", "moussant")

	angryWords = setOf("stupid", "idiot", "idiots", "useless", "ridiculous", "scam", "wtf",
		"fuck", "fucking", "shit", "crap", "pathetic", "unacceptable", "disgusting", "furious",
		"outrageous", "incompetent",
		"inadmissible", "inacceptable", "arnaque", "arnaqueurs", "scandale", "scandaleux",
		"honteux", "honte", "merde", "putain", "debile", "nuls", "incompetents", "furieux",
		"furieuse", "lamentable", "escroquerie", "voleurs")
	angryPhrases = []string{"fed up", "sick of", "n importe quoi", "ras le bol", "en ai marre",
		"j en ai assez", "en colere", "c est nul", "vous etes nuls", "pas serieux", "is a joke",
		"what a joke", "c est une blague", "quelle blague"}

	orderWords = setOf("order", "orders", "ordered", "package", "packages", "parcel", "parcels",
		"delivery", "shipment", "tracking", "track", "commande", "commandes", "colis",
		"livraison", "suivi", "suivre", "paquet", "envoi")
	// statusWords ask where an order is. Vaguer words ("when", "still",
	// "quand") count only beside "my"/"ma" (possessiveWords): "when do you
	// dispatch orders" is a question about the shop, not an order.
	statusWords = setOf("where", "status", "track", "tracking", "arrive", "arrived", "arriving",
		"receive", "received", "shipped", "dispatched", "late", "delayed", "lost", "missing",
		"ou", "statut", "etat", "suivi", "suivre", "arrivee", "arrive", "arrivera", "recu",
		"recue", "recevoir", "expedie", "expediee", "envoye", "envoyee", "retard", "perdu")
	statusPhrases = []string{"tracking number", "numero de suivi", "order status",
		"suivi de commande", "suivre mon colis", "suivre ma commande"}
	// latePhrases say an order is late; they count as status words.
	latePhrases = []string{"still nothing", "still not", "never arrived", "never came", "never received",
		"not arrived", "not received", "toujours rien", "toujours pas", "jamais recu", "jamais arrive",
		"rien recu", "pas recu", "pas arrive"}
	possessiveWords = setOf("my", "mine", "ma", "mon", "mes")
	changeWords     = setOf("cancel", "cancelled", "canceled", "modify", "change", "return",
		"returns", "refund", "refunded", "exchange", "annuler", "annulation", "modifier", "changer",
		"retourner", "retour", "rembourser", "remboursement", "echanger", "echange")
	changePhrases = []string{"send back", "renvoyer"}

	adviceWords = setOf("recommend", "recommendation", "recommendations", "suggest",
		"suggestion", "suggestions", "advice", "advise", "quiz", "routine", "recommander",
		"recommandez", "recommandation", "recommandations", "suggerer", "suggerez", "conseil",
		"conseils", "conseillez", "questionnaire")
	advicePhrases = []string{"skin type", "my skin", "dry skin", "oily skin", "combination skin",
		"sensitive skin", "help me choose", "help me find", "what should i use", "what should i buy",
		"me conseiller", "type de peau", "ma peau", "peau seche", "peau grasse", "peau mixte",
		"peau sensible", "m aider a choisir", "que dois je utiliser", "quoi utiliser"}
	productWords = setOf("product", "products", "cream", "creams", "serum", "serums",
		"moisturiser", "moisturizer", "moisturisers", "moisturizers", "cleanser", "cleansers",
		"toner", "toners", "mask", "masks", "produit", "produits", "creme", "cremes",
		"hydratant", "hydratante", "nettoyant", "lotion", "masque", "masques", "soin", "soins")
	choiceWords = setOf("which", "best", "good", "quel", "quelle", "quels", "quelles", "lequel",
		"laquelle", "meilleur", "meilleure", "bon", "bonne")

	greetingWords = setOf("hello", "hi", "hey", "hiya", "howdy", "greetings", "morning",
		"afternoon", "evening", "bonjour", "bonsoir", "salut", "coucou", "allo", "yo")
	thanksWords = setOf("thanks", "thank", "thx", "ty", "cheers", "merci", "perfect", "great",
		"parfait", "super", "genial", "nickel", "top", "awesome", "bye", "goodbye", "revoir",
		"ok", "okay", "cool")
	// fillerWords may stand beside a greeting or thanks without making the
	// message say more.
	fillerWords = setOf("there", "you", "so", "much", "very", "a", "lot", "good", "team",
		"everyone", "all", "again", "for", "the", "help", "your", "beaucoup", "bien", "tout",
		"le", "monde", "a", "vous", "pour", "votre", "aide", "encore", "bonne", "journee",
		"soiree", "have", "nice", "day", "au", "mille", "fois", "tres", "and", "et", "oh",
		"ah", "madame", "monsieur")
)
