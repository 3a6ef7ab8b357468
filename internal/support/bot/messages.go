package bot

import "fmt"

// The bot's sentences, English and French. Keys are constants so a missing
// translation is a test failure (TestEveryMessageIsTranslated), not a blank.
const (
	msgGreeting      = "greeting"
	msgThanks        = "thanks"
	msgRephrase      = "rephrase"
	msgHandoff       = "handoff"
	msgHandoffMisses = "handoff_misses"
	msgNoOrders      = "no_orders"
	msgNoSuchOrder   = "no_such_order"
	msgWhichOrder    = "which_order"
	msgAskNumber     = "ask_number"
	msgAskEmail      = "ask_email"
	msgGuestNotFound = "guest_not_found"
	msgOrderStatus   = "order_status"
	msgTracking      = "tracking"
	msgNoTracking    = "no_tracking"
	msgQuizSkin      = "quiz_skin"
	msgQuizConcern   = "quiz_concern"
	msgQuizPrefs     = "quiz_prefs"
	msgQuizRetry     = "quiz_retry"
	msgAdvice        = "advice"
	msgAdviceNone    = "advice_none"
	msgProfileSaved  = "profile_saved"
)

var messages = map[string]map[string]string{
	"en": {
		msgGreeting:      "Hello! I can tell you where your order is, answer common questions, or suggest products for your skin. How can I help?",
		msgThanks:        "You're welcome! Anything else I can help with?",
		msgRephrase:      "I did not understand, could you rephrase? You can also ask for a person.",
		msgHandoff:       "I'm passing you to a member of our team: a person will take over this conversation shortly.",
		msgHandoffMisses: "I'm sorry I couldn't help. A member of our team will take over this conversation shortly.",
		msgNoOrders:      "I can't find any order on your account yet.",
		msgNoSuchOrder:   "I can't find an order numbered %s on your account. Could you check the number?",
		msgWhichOrder:    "You have several recent orders: %s. Which one would you like to know about?",
		msgAskNumber:     "I can look that up. What is your order number (for example SK-1042)?",
		msgAskEmail:      "Thanks. What e-mail address did you use for order %s?",
		msgGuestNotFound: "I can't find an order with that number and e-mail address. Please check both, or ask for a person.",
		msgOrderStatus:   "Order %s is %s; delivery: %s.",
		msgTracking:      "%s, tracking number %s",
		msgNoTracking:    "No tracking number yet.",
		msgQuizSkin:      "Let's find what suits your skin. What is your skin type: dry, oily, combination, sensitive or normal?",
		msgQuizConcern:   "What is your main concern: hydration, acne/blemishes, redness, ageing or dullness?",
		msgQuizPrefs:     "Any preference: vegan, fragrance-free, or none?",
		msgQuizRetry:     "Sorry, I didn't catch that. ",
		msgAdvice:        "For %s skin with a focus on %s, I suggest: %s.",
		msgAdviceNone:    "I couldn't find an in-stock product matching all your answers right now. A person can help if you ask.",
		msgProfileSaved:  " I've saved your answers to your profile.",
	},
	"fr": {
		msgGreeting:      "Bonjour ! Je peux vous dire où en est votre commande, répondre aux questions courantes ou vous conseiller des produits pour votre peau. Que puis-je faire pour vous ?",
		msgThanks:        "Avec plaisir ! Puis-je vous aider pour autre chose ?",
		msgRephrase:      "Je n'ai pas compris, pouvez-vous reformuler ? Vous pouvez aussi demander à parler à quelqu'un.",
		msgHandoff:       "Je vous mets en relation avec un membre de notre équipe : une personne va reprendre cette conversation très vite.",
		msgHandoffMisses: "Désolé de ne pas avoir pu vous aider. Un membre de notre équipe va reprendre cette conversation très vite.",
		msgNoOrders:      "Je ne trouve encore aucune commande sur votre compte.",
		msgNoSuchOrder:   "Je ne trouve pas de commande numéro %s sur votre compte. Pouvez-vous vérifier le numéro ?",
		msgWhichOrder:    "Vous avez plusieurs commandes récentes : %s. Laquelle voulez-vous suivre ?",
		msgAskNumber:     "Je peux vérifier. Quel est votre numéro de commande (par exemple SK-1042) ?",
		msgAskEmail:      "Merci. Quelle adresse e-mail avez-vous utilisée pour la commande %s ?",
		msgGuestNotFound: "Je ne trouve pas de commande avec ce numéro et cette adresse e-mail. Vérifiez les deux, ou demandez à parler à quelqu'un.",
		msgOrderStatus:   "La commande %s est %s ; livraison : %s.",
		msgTracking:      "%s, numéro de suivi %s",
		msgNoTracking:    "Pas encore de numéro de suivi.",
		msgQuizSkin:      "Trouvons ce qui convient à votre peau. Quel est votre type de peau : sèche, grasse, mixte, sensible ou normale ?",
		msgQuizConcern:   "Quelle est votre préoccupation principale : hydratation, acné/imperfections, rougeurs, rides ou teint terne ?",
		msgQuizPrefs:     "Une préférence : vegan, sans parfum, ou aucune ?",
		msgQuizRetry:     "Pardon, je n'ai pas compris. ",
		msgAdvice:        "Pour une peau %s, avec un objectif %s, je vous suggère : %s.",
		msgAdviceNone:    "Je ne trouve pas de produit en stock qui corresponde à toutes vos réponses pour le moment. Une personne peut vous aider si vous le demandez.",
		msgProfileSaved:  " J'ai enregistré vos réponses dans votre profil.",
	},
}

// labels are the words for order states, skin types and concerns.
var labels = map[string]map[string]string{
	"en": {
		"pending": "awaiting payment", "confirmed": "confirmed", "completed": "completed", "canceled": "canceled",
		"unfulfilled": "not shipped yet", "partially_fulfilled": "partly prepared",
		"fulfilled": "prepared, waiting for the carrier", "shipped": "shipped", "delivered": "delivered",
		"returned": "returned",
		"dry":      "dry", "oily": "oily", "combination": "combination", "sensitive": "sensitive", "normal": "normal",
		"hydration": "hydration", "acne": "blemishes", "redness": "redness", "ageing": "ageing", "dullness": "radiance",
	},
	"fr": {
		"pending": "en attente de paiement", "confirmed": "confirmée", "completed": "terminée", "canceled": "annulée",
		"unfulfilled": "pas encore expédiée", "partially_fulfilled": "en partie préparée",
		"fulfilled": "préparée, en attente du transporteur", "shipped": "expédiée", "delivered": "livrée",
		"returned": "retournée",
		"dry":      "sèche", "oily": "grasse", "combination": "mixte", "sensitive": "sensible", "normal": "normale",
		"hydration": "hydratation", "acne": "anti-imperfections", "redness": "anti-rougeurs", "ageing": "anti-âge",
		"dullness": "éclat",
	},
}

// say returns message key in lang, formatted with args.
func say(lang, key string, args ...any) string {
	m := messages[lang][key]
	if m == "" {
		m = messages["en"][key]
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// label is a state's or answer's word in lang; unknown values are shown as
// they are.
func label(lang, v string) string {
	if l := labels[lang][v]; l != "" {
		return l
	}
	return v
}
