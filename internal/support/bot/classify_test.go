package bot

import "testing"

// testFAQs is an FAQ like the demo shop's: shipping times, returns, vegan,
// ingredients, payment, in both languages.
func testFAQs() map[string][]FAQ {
	return map[string][]FAQ{
		"en": {
			{ID: "faq_ship", Locale: "en", Question: "How long does shipping take?",
				Answer:   "Orders leave our warehouse within 1 working day; delivery takes 2 to 4 working days.",
				Keywords: []string{"shipping", "delivery time", "delivery", "ship", "dispatch", "days"}},
			{ID: "faq_return", Locale: "en", Question: "What is your return policy?",
				Answer:   "You can return unopened products within 30 days for a full refund.",
				Keywords: []string{"return", "returns", "refund", "send back", "exchange"}},
			{ID: "faq_vegan", Locale: "en", Question: "Are your products vegan?",
				Answer:   "All our products are cruelty-free and all but the Cleansing Balm are vegan.",
				Keywords: []string{"vegan", "animal", "cruelty-free", "vegetarian", "beeswax"}},
			{ID: "faq_ingredients", Locale: "en", Question: "Where can I find the ingredients of a product?",
				Answer:   "Every product page lists its full ingredients (INCI) and key ingredients.",
				Keywords: []string{"ingredients", "ingredient list", "inci", "fragrance", "allergens", "composition"}},
			{ID: "faq_payment", Locale: "en", Question: "Which payment methods do you accept?",
				Answer:   "We accept cards, PayPal, Apple Pay and pay-later.",
				Keywords: []string{"payment", "pay", "card", "paypal", "apple pay"}},
		},
		"fr": {
			{ID: "faq_ship_fr", Locale: "fr", Question: "Quels sont les délais de livraison ?",
				Answer:   "Les commandes partent sous 1 jour ouvré ; la livraison prend 2 à 4 jours ouvrés.",
				Keywords: []string{"livraison", "délai", "expédition", "jours", "livrer"}},
			{ID: "faq_return_fr", Locale: "fr", Question: "Quelle est votre politique de retour ?",
				Answer:   "Vous pouvez retourner les produits non ouverts sous 30 jours.",
				Keywords: []string{"retour", "retourner", "remboursement", "échange", "renvoyer"}},
			{ID: "faq_vegan_fr", Locale: "fr", Question: "Vos produits sont-ils vegan ?",
				Answer:   "Tous nos produits sont cruelty-free et tous sauf le baume démaquillant sont vegan.",
				Keywords: []string{"vegan", "végane", "animal", "cruauté", "cire d'abeille"}},
			{ID: "faq_ingredients_fr", Locale: "fr", Question: "Où trouver la liste des ingrédients ?",
				Answer:   "Chaque fiche produit donne la liste complète des ingrédients (INCI).",
				Keywords: []string{"ingrédients", "composition", "inci", "parfum", "allergènes"}},
			{ID: "faq_payment_fr", Locale: "fr", Question: "Quels moyens de paiement acceptez-vous ?",
				Answer:   "Nous acceptons la carte, PayPal, Apple Pay et le paiement différé.",
				Keywords: []string{"paiement", "payer", "carte", "paypal"}},
		},
	}
}

func testIndexes() map[string]*faqIndex {
	out := map[string]*faqIndex{}
	for l, fs := range testFAQs() {
		out[l] = newFAQIndex(fs, DefaultFAQThreshold)
	}
	return out
}

// TestClassify is the intent table: real-sounding messages in English and
// French with what the bot must understand, including messages it must not
// answer (off-topic, near misses of the FAQ, ingredient "agents").
func TestClassify(t *testing.T) {
	ix := testIndexes()
	tests := []struct {
		locale, text string
		want         Intent
		faq          string // expected FAQ id for IntentFAQ
		number       string // expected order number, if the text names one
	}{
		// order status, English
		{"en", "where is my order?", IntentOrderStatus, "", ""},
		{"en", "Where's my order", IntentOrderStatus, "", ""},
		{"en", "track SK-1042", IntentOrderStatus, "", "SK-1042"},
		{"en", "Can you tell me the status of order #1042?", IntentOrderStatus, "", "SK-1042"},
		{"en", "sk1042 hasn't arrived", IntentOrderStatus, "", "SK-1042"},
		{"en", "My package still hasn't arrived", IntentOrderStatus, "", ""},
		{"en", "When will my order arrive?", IntentOrderStatus, "", ""},
		{"en", "has my parcel shipped yet", IntentOrderStatus, "", ""},
		{"en", "I haven't received my order", IntentOrderStatus, "", ""},
		{"en", "what's my tracking number", IntentOrderStatus, "", ""},
		{"en", "order status please", IntentOrderStatus, "", ""},
		{"en", "Hi, I ordered last week and nothing came, where is my order?", IntentOrderStatus, "", ""},
		{"en", "Any update on my delivery?", IntentOrderStatus, "", ""},
		{"en", "I think my parcel is lost", IntentOrderStatus, "", ""},
		{"en", "My order SK-2001, the email is ada@example.com", IntentOrderStatus, "", "SK-2001"},
		// order status, French
		{"fr", "où est ma commande ?", IntentOrderStatus, "", ""},
		{"fr", "ou est ma commande", IntentOrderStatus, "", ""},
		{"fr", "ma commande n'est pas arrivée", IntentOrderStatus, "", ""},
		{"fr", "Je n'ai toujours pas reçu mon colis", IntentOrderStatus, "", ""},
		{"fr", "Où en est ma commande SK-1042 ?", IntentOrderStatus, "", "SK-1042"},
		{"fr", "suivi de commande svp", IntentOrderStatus, "", ""},
		{"fr", "Quand vais-je recevoir ma commande ?", IntentOrderStatus, "", ""},
		{"fr", "Mon colis a-t-il été expédié ?", IntentOrderStatus, "", ""},
		{"fr", "je voudrais le numéro de suivi de mon colis", IntentOrderStatus, "", ""},
		{"fr", "statut de la commande sk-77", IntentOrderStatus, "", "SK-77"},
		{"en", "where is order #000", IntentOrderStatus, "", "SK-0"},
		// FAQ, English
		{"en", "How long does shipping take?", IntentFAQ, "faq_ship", ""},
		{"en", "how many days for delivery", IntentFAQ, "faq_ship", ""},
		{"en", "When do you dispatch orders?", IntentFAQ, "faq_ship", ""},
		{"en", "What's your return policy", IntentFAQ, "faq_return", ""},
		{"en", "Can I return my order?", IntentFAQ, "faq_return", ""},
		{"en", "how do I get a refund", IntentFAQ, "faq_return", ""},
		{"en", "Are your products vegan?", IntentFAQ, "faq_vegan", ""},
		{"en", "is it vegan", IntentFAQ, "faq_vegan", ""},
		{"en", "do you use beeswax?", IntentFAQ, "faq_vegan", ""},
		{"en", "Where can I see the full ingredient list?", IntentFAQ, "faq_ingredients", ""},
		{"en", "does it contain fragrance or allergens", IntentFAQ, "faq_ingredients", ""},
		{"en", "Can I pay with PayPal?", IntentFAQ, "faq_payment", ""},
		{"en", "which payment methods do you take", IntentFAQ, "faq_payment", ""},
		// FAQ, French
		{"fr", "Quels sont les délais de livraison ?", IntentFAQ, "faq_ship_fr", ""},
		{"fr", "delais de livraison", IntentFAQ, "faq_ship_fr", ""},
		{"fr", "Combien de jours pour être livré ?", IntentFAQ, "faq_ship_fr", ""},
		{"fr", "Comment retourner un produit ?", IntentFAQ, "faq_return_fr", ""},
		{"fr", "je veux un remboursement", IntentFAQ, "faq_return_fr", ""},
		{"fr", "vos produits sont-ils véganes ?", IntentFAQ, "faq_vegan_fr", ""},
		{"fr", "Où trouver la composition ?", IntentFAQ, "faq_ingredients_fr", ""},
		{"fr", "Est-ce qu'il y a du parfum ?", IntentFAQ, "faq_ingredients_fr", ""},
		{"fr", "Puis-je payer par carte ?", IntentFAQ, "faq_payment_fr", ""},
		// advice
		{"en", "Can you recommend a moisturiser?", IntentAdvice, "", ""},
		{"en", "I have dry skin, what should I use?", IntentAdvice, "", ""},
		{"en", "which cream is best for me", IntentAdvice, "", ""},
		{"en", "help me choose a serum", IntentAdvice, "", ""},
		{"en", "I'd like some advice for my skin", IntentAdvice, "", ""},
		{"en", "Can I take the skin quiz?", IntentAdvice, "", ""},
		{"en", "What's a good routine for oily skin?", IntentAdvice, "", ""},
		{"fr", "Pouvez-vous me conseiller un soin ?", IntentAdvice, "", ""},
		{"fr", "quel produit pour peau sèche ?", IntentAdvice, "", ""},
		{"fr", "J'ai la peau grasse, que me recommandez-vous ?", IntentAdvice, "", ""},
		{"fr", "Quelle crème choisir ?", IntentAdvice, "", ""},
		{"fr", "je cherche une routine pour ma peau", IntentAdvice, "", ""},
		// handoff: explicit
		{"en", "agent", IntentHandoff, "", ""},
		{"en", "I want to talk to a human", IntentHandoff, "", ""},
		{"en", "Can I speak to someone please?", IntentHandoff, "", ""},
		{"en", "real person please", IntentHandoff, "", ""},
		{"en", "Put me through to customer service", IntentHandoff, "", ""},
		{"en", "I need a representative", IntentHandoff, "", ""},
		{"fr", "je veux parler à quelqu'un", IntentHandoff, "", ""},
		{"fr", "Je voudrais parler à un conseiller", IntentHandoff, "", ""},
		{"fr", "un humain svp", IntentHandoff, "", ""},
		{"fr", "passez-moi le service client", IntentHandoff, "", ""},
		// handoff: anger
		{"en", "This is ridiculous", IntentHandoff, "", ""},
		{"en", "WHERE IS MY ORDER!!!", IntentHandoff, "", ""},
		{"en", "you are useless", IntentHandoff, "", ""},
		{"en", "this is a scam", IntentHandoff, "", ""},
		{"en", "I'm fed up with waiting", IntentHandoff, "", ""},
		{"en", "this service is a joke", IntentHandoff, "", ""},
		{"fr", "c'est inadmissible", IntentHandoff, "", ""},
		{"fr", "C'EST UNE HONTE !!!", IntentHandoff, "", ""},
		{"fr", "vous êtes des arnaqueurs", IntentHandoff, "", ""},
		{"fr", "j'en ai marre d'attendre", IntentHandoff, "", ""},
		// greetings and thanks
		{"en", "hello", IntentGreeting, "", ""},
		{"en", "Hi there!", IntentGreeting, "", ""},
		{"en", "good morning", IntentGreeting, "", ""},
		{"fr", "Bonjour", IntentGreeting, "", ""},
		{"fr", "salut !", IntentGreeting, "", ""},
		{"en", "thanks a lot", IntentThanks, "", ""},
		{"en", "thank you so much for your help", IntentThanks, "", ""},
		{"fr", "merci beaucoup", IntentThanks, "", ""},
		{"fr", "parfait, merci !", IntentThanks, "", ""},
		// must NOT be answered: off-topic
		{"en", "What's the weather like today?", IntentUnknown, "", ""},
		{"en", "who won the football match yesterday", IntentUnknown, "", ""},
		{"en", "can you write me a poem", IntentUnknown, "", ""},
		{"en", "What is the capital of Australia?", IntentUnknown, "", ""},
		{"en", "asdfgh qwerty", IntentUnknown, "", ""},
		{"en", "", IntentUnknown, "", ""},
		{"en", "!!!", IntentUnknown, "", ""},
		{"fr", "quelle heure est-il ?", IntentUnknown, "", ""},
		{"fr", "raconte-moi une blague", IntentUnknown, "", ""},
		{"en", "tell me a joke", IntentUnknown, "", ""},
		{"fr", "tu aimes le football ?", IntentUnknown, "", ""},
		// must NOT be answered: near misses of the FAQ (one shared word in
		// an off-topic sentence) and of other intents
		{"en", "can you ship me a birthday cake for my grandmother", IntentUnknown, "", ""},
		{"en", "what card games do you like to play", IntentUnknown, "", ""},
		{"en", "my neighbour's dog is vegan and eats kale every morning", IntentUnknown, "", ""},
		{"fr", "la livraison de pizza du quartier est-elle ouverte le dimanche soir", IntentUnknown, "", ""},
		{"fr", "mon chat aime la carte du restaurant italien", IntentUnknown, "", ""},
		{"en", "which cleansing agent do you use in the foaming cleanser?", IntentAdvice, "", ""},
		{"en", "Is sodium laureth a cleansing agent?", IntentUnknown, "", ""},
		{"en", "I'd like to cancel my order", IntentUnknown, "", ""},
		{"fr", "je veux annuler ma commande", IntentUnknown, "", ""},
		// held-out phrasings, written after the rules
		{"en", "Hey, is my order on its way?", IntentOrderStatus, "", ""},
		{"en", "when does my package get here", IntentOrderStatus, "", ""},
		{"en", "I ordered 2 weeks ago and still nothing", IntentOrderStatus, "", ""},
		{"en", "Has SK-1099 been dispatched?", IntentOrderStatus, "", "SK-1099"},
		{"fr", "bonjour, j'ai passé commande il y a une semaine et rien reçu", IntentOrderStatus, "", ""},
		{"fr", "la commande SK-1042 est arrivée incomplète", IntentOrderStatus, "", "SK-1042"},
		{"en", "do you deliver to Canada?", IntentFAQ, "faq_ship", ""},
		{"en", "How much is shipping?", IntentFAQ, "faq_ship", ""},
		{"en", "can I exchange a product", IntentFAQ, "faq_return", ""},
		{"en", "do you test on animals", IntentFAQ, "faq_vegan", ""},
		{"fr", "vous livrez en Belgique ?", IntentFAQ, "faq_ship_fr", ""},
		{"fr", "est-ce que vos produits sont testés sur les animaux", IntentFAQ, "faq_vegan_fr", ""},
		{"fr", "je souhaite me faire rembourser", IntentFAQ, "faq_return_fr", ""},
		{"en", "what do you suggest for acne", IntentAdvice, "", ""},
		{"en", "my skin is really oily, help", IntentAdvice, "", ""},
		{"en", "what's the best moisturiser for dry skin", IntentAdvice, "", ""},
		{"fr", "quelle crème pour les rides ?", IntentAdvice, "", ""},
		{"en", "Please connect me with support staff", IntentHandoff, "", ""},
		{"fr", "je voudrais parler à un humain", IntentHandoff, "", ""},
		{"en", "good evening!", IntentGreeting, "", ""},
		{"fr", "merci, bonne journée", IntentThanks, "", ""},
		{"en", "Are you a robot?", IntentUnknown, "", ""},
		{"en", "Is there alcohol in the toner?", IntentUnknown, "", ""},
		{"en", "I want my money back", IntentUnknown, "", ""},
		{"en", "can I change my delivery address", IntentUnknown, "", ""},
		{"fr", "avez-vous un code promo ?", IntentUnknown, "", ""},
		{"fr", "je n'arrive pas à me connecter à mon compte", IntentUnknown, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.locale+"/"+tc.text, func(t *testing.T) {
			got := Classify(tc.text, ix[tc.locale])
			if got.Intent != tc.want {
				t.Errorf("Classify(%q) = %s (faq %s score %.2f coverage %.2f), want %s", tc.text, got.Intent,
					got.FAQ.FAQ.ID, got.FAQ.Score, got.FAQ.Coverage, tc.want)
			}
			if tc.want == IntentFAQ && got.FAQ.FAQ.ID != tc.faq {
				t.Errorf("Classify(%q) matched FAQ %s (score %.2f), want %s", tc.text, got.FAQ.FAQ.ID, got.FAQ.Score, tc.faq)
			}
			if got.OrderNumber != tc.number {
				t.Errorf("Classify(%q).OrderNumber = %q, want %q", tc.text, got.OrderNumber, tc.number)
			}
		})
	}
	if len(tests) < 80 {
		t.Fatalf("the intent table has %d rows; it must keep at least 80", len(tests))
	}
}
