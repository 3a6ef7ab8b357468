package demo

// The demo shop: "The Skincare Manager", cruelty-free skincare. The data is
// plain values so it reads like a catalogue and can be checked by eye.

type demoCategory struct {
	Handle, Name, NameFR, Description string
	Parent                            string // handle of the parent, "" for a root
}

var categories = []demoCategory{
	{Handle: "skincare", Name: "Skincare", NameFR: "Soins du visage", Description: "Everything for a simple, kind routine."},
	{Handle: "cleansers", Name: "Cleansers", NameFR: "Nettoyants", Description: "Gentle cleansers that respect the skin barrier.", Parent: "skincare"},
	{Handle: "moisturisers", Name: "Moisturisers", NameFR: "Hydratants", Description: "Creams and gels for every skin type.", Parent: "skincare"},
	{Handle: "toners", Name: "Toners", NameFR: "Lotions tonifiantes", Description: "Balancing toners and essences.", Parent: "skincare"},
	{Handle: "face-masks", Name: "Face Masks", NameFR: "Masques", Description: "Weekly treats: clay, sheet and overnight masks.", Parent: "skincare"},
	{Handle: "serums", Name: "Serums", NameFR: "Sérums", Description: "Concentrated actives.", Parent: "skincare"},
}

type demoCollection struct{ Handle, Title, TitleFR, Description string }

var collections = []demoCollection{
	{Handle: "bestsellers", Title: "Bestsellers", TitleFR: "Meilleures ventes", Description: "What our customers reorder most."},
	{Handle: "sensitive-skin", Title: "Sensitive Skin", TitleFR: "Peaux sensibles", Description: "Fragrance-free and soothing."},
	{Handle: "new-in", Title: "New In", TitleFR: "Nouveautés", Description: "Fresh from the lab."},
}

// demoVariant prices are in minor units: EUR and USD.
type demoVariant struct {
	Size      string
	SKU       string
	EUR, USD  int64
	CostEUR   int64
	Grams     int
	Available int // placeholder stock until the inventory issue seeds warehouses
}

type demoProduct struct {
	Title, TitleFR             string
	Description, DescriptionFR string
	Category                   string
	Collections                []string
	Tags                       []string
	SkinTypes                  []string
	Vegan                      bool
	KeyIngredients             []string
	Variants                   []demoVariant
	Draft                      bool
}

var products = []demoProduct{
	{Title: "Gentle Foaming Cleanser", TitleFR: "Nettoyant moussant doux",
		Description: "A low-pH foaming cleanser that removes sunscreen and make-up without tightness.", DescriptionFR: "Un nettoyant moussant à pH doux qui élimine la crème solaire et le maquillage sans tiraillements.",
		Category: "cleansers", Collections: []string{"bestsellers"}, Tags: []string{"daily", "foaming"},
		SkinTypes: []string{"normal", "oily", "combination"}, Vegan: true, KeyIngredients: []string{"glycerin", "coco-glucoside"},
		Variants: []demoVariant{{"150 ml", "CLN-FOAM-150", 1450, 1600, 480, 165, 120}, {"300 ml", "CLN-FOAM-300", 2400, 2650, 800, 320, 60}}},
	{Title: "Cream Cleanser with Oat", TitleFR: "Crème nettoyante à l'avoine",
		Description: "A milky, non-foaming cleanser for dry and sensitive skin.", DescriptionFR: "Un lait nettoyant sans mousse pour peaux sèches et sensibles.",
		Category: "cleansers", Collections: []string{"sensitive-skin"}, Tags: []string{"daily", "fragrance-free"},
		SkinTypes: []string{"dry", "sensitive"}, Vegan: true, KeyIngredients: []string{"colloidal oat", "ceramides"},
		Variants: []demoVariant{{"150 ml", "CLN-OAT-150", 1600, 1800, 520, 170, 80}}},
	{Title: "Cleansing Balm", TitleFR: "Baume démaquillant",
		Description: "Melts into an oil and rinses to a milk; the first step of a double cleanse.", DescriptionFR: "Se transforme en huile puis en lait ; la première étape du double nettoyage.",
		Category: "cleansers", Collections: []string{"bestsellers", "new-in"}, Tags: []string{"double-cleanse", "balm"},
		SkinTypes: []string{"dry", "normal"}, Vegan: false, KeyIngredients: []string{"sunflower oil", "beeswax"},
		Variants: []demoVariant{{"50 ml", "CLN-BALM-50", 1200, 1350, 400, 90, 40}, {"100 ml", "CLN-BALM-100", 2100, 2300, 700, 160, 3}}},
	{Title: "Barrier Repair Moisturiser", TitleFR: "Crème réparatrice barrière",
		Description: "A rich cream with ceramides and cholesterol to rebuild a stressed barrier.", DescriptionFR: "Une crème riche en céramides et cholestérol pour reconstruire une barrière fragilisée.",
		Category: "moisturisers", Collections: []string{"bestsellers", "sensitive-skin"}, Tags: []string{"night", "rich"},
		SkinTypes: []string{"dry", "sensitive"}, Vegan: true, KeyIngredients: []string{"ceramides", "cholesterol", "niacinamide"},
		Variants: []demoVariant{{"50 ml", "MST-BARR-50", 2800, 3100, 900, 80, 50}, {"100 ml", "MST-BARR-100", 4600, 5100, 1500, 140, 25}}},
	{Title: "Oil-Free Gel Moisturiser", TitleFR: "Gel hydratant sans huile",
		Description: "A weightless gel-cream that hydrates without shine.", DescriptionFR: "Un gel-crème léger qui hydrate sans faire briller.",
		Category: "moisturisers", Tags: []string{"day", "lightweight"},
		SkinTypes: []string{"oily", "combination"}, Vegan: true, KeyIngredients: []string{"hyaluronic acid", "zinc pca"},
		Variants: []demoVariant{{"50 ml", "MST-GEL-50", 2400, 2650, 700, 75, 70}}},
	{Title: "Daily Moisturiser SPF 30", TitleFR: "Hydratant quotidien SPF 30",
		Description: "Broad-spectrum protection in a moisturiser you will actually wear.", DescriptionFR: "Une protection large spectre dans un hydratant que l'on porte vraiment.",
		Category: "moisturisers", Collections: []string{"new-in"}, Tags: []string{"day", "spf"},
		SkinTypes: []string{"normal", "combination", "dry"}, Vegan: true, KeyIngredients: []string{"zinc oxide", "squalane"},
		Variants: []demoVariant{{"50 ml", "MST-SPF-50", 3200, 3500, 1100, 80, 0}}}, // out of stock
	{Title: "Hydrating Toner", TitleFR: "Lotion hydratante",
		Description: "An alcohol-free toner that layers hydration after cleansing.", DescriptionFR: "Une lotion sans alcool qui apporte de l'hydratation après le nettoyage.",
		Category: "toners", Collections: []string{"sensitive-skin"}, Tags: []string{"daily", "alcohol-free"},
		SkinTypes: []string{"dry", "normal", "sensitive"}, Vegan: true, KeyIngredients: []string{"hyaluronic acid", "panthenol"},
		Variants: []demoVariant{{"200 ml", "TNR-HYD-200", 1800, 2000, 600, 230, 90}}},
	{Title: "Exfoliating AHA Toner", TitleFR: "Lotion exfoliante AHA",
		Description: "Glycolic and lactic acids to smooth texture, two or three evenings a week.", DescriptionFR: "Acides glycolique et lactique pour lisser le grain de peau, deux à trois soirs par semaine.",
		Category: "toners", Collections: []string{"bestsellers"}, Tags: []string{"night", "exfoliant"},
		SkinTypes: []string{"normal", "oily", "combination"}, Vegan: true, KeyIngredients: []string{"glycolic acid", "lactic acid"},
		Variants: []demoVariant{{"100 ml", "TNR-AHA-100", 1900, 2100, 620, 120, 45}, {"200 ml", "TNR-AHA-200", 3100, 3400, 1000, 230, 20}}},
	{Title: "Rose Water Mist", TitleFR: "Brume à l'eau de rose",
		Description: "A refreshing mist to set make-up or revive skin mid-day.", DescriptionFR: "Une brume rafraîchissante pour fixer le maquillage ou réveiller la peau.",
		Category: "toners", Tags: []string{"mist"},
		SkinTypes: []string{"normal", "dry"}, Vegan: true, KeyIngredients: []string{"rose water", "glycerin"},
		Variants: []demoVariant{{"100 ml", "TNR-ROSE-100", 1100, 1250, 300, 120, 2}}}, // low stock
	{Title: "Kaolin Clay Mask", TitleFR: "Masque à l'argile kaolin",
		Description: "Draws out excess oil and refines the look of pores in ten minutes.", DescriptionFR: "Absorbe l'excès de sébum et affine l'aspect des pores en dix minutes.",
		Category: "face-masks", Collections: []string{"bestsellers"}, Tags: []string{"weekly", "clay"},
		SkinTypes: []string{"oily", "combination"}, Vegan: true, KeyIngredients: []string{"kaolin", "bentonite"},
		Variants: []demoVariant{{"75 ml", "MSK-CLAY-75", 2200, 2400, 650, 110, 35}}},
	{Title: "Overnight Sleeping Mask", TitleFR: "Masque de nuit",
		Description: "A cushiony gel that seals in moisture while you sleep.", DescriptionFR: "Un gel moelleux qui retient l'hydratation pendant la nuit.",
		Category: "face-masks", Collections: []string{"new-in"}, Tags: []string{"night", "weekly"},
		SkinTypes: []string{"dry", "normal", "sensitive"}, Vegan: true, KeyIngredients: []string{"squalane", "allantoin"},
		Variants: []demoVariant{{"50 ml", "MSK-SLEEP-50", 2600, 2900, 800, 70, 30}, {"100 ml", "MSK-SLEEP-100", 4200, 4600, 1300, 130, 12}}},
	{Title: "Soothing Sheet Masks", TitleFR: "Masques en tissu apaisants",
		Description: "Biodegradable sheet masks soaked in a centella essence.", DescriptionFR: "Masques en tissu biodégradables imprégnés d'une essence de centella.",
		Category: "face-masks", Collections: []string{"sensitive-skin"}, Tags: []string{"sheet", "weekly"},
		SkinTypes: []string{"sensitive", "dry"}, Vegan: true, KeyIngredients: []string{"centella asiatica", "madecassoside"},
		Variants: []demoVariant{{"Pack of 3", "MSK-SHEET-3", 1200, 1350, 350, 90, 60}, {"Pack of 10", "MSK-SHEET-10", 3500, 3900, 1000, 290, 15}}},
	{Title: "Niacinamide 10% Serum", TitleFR: "Sérum niacinamide 10 %",
		Description: "Evens tone and calms the look of blemishes.", DescriptionFR: "Unifie le teint et apaise l'aspect des imperfections.",
		Category: "serums", Collections: []string{"bestsellers"}, Tags: []string{"daily", "serum"},
		SkinTypes: []string{"oily", "combination", "normal"}, Vegan: true, KeyIngredients: []string{"niacinamide", "zinc pca"},
		Variants: []demoVariant{{"30 ml", "SRM-NIA-30", 1900, 2100, 500, 60, 100}}},
	{Title: "Vitamin C Brightening Serum", TitleFR: "Sérum éclat vitamine C",
		Description: "Stable ascorbyl glucoside for a brighter look, gentle enough for daily use.", DescriptionFR: "Glucoside d'ascorbyle stable pour un teint plus lumineux, assez doux pour tous les jours.",
		Category: "serums", Collections: []string{"new-in"}, Tags: []string{"day", "serum"},
		SkinTypes: []string{"normal", "dry", "combination"}, Vegan: true, KeyIngredients: []string{"ascorbyl glucoside", "ferulic acid"},
		Variants: []demoVariant{{"30 ml", "SRM-VITC-30", 3400, 3700, 950, 60, 40}}},
	{Title: "Retinal Night Serum", TitleFR: "Sérum de nuit au rétinal",
		Description: "Coming soon: encapsulated retinal for beginners.", DescriptionFR: "Bientôt : rétinal encapsulé pour débuter.",
		Category: "serums", Tags: []string{"night", "serum"},
		SkinTypes: []string{"normal", "oily"}, Vegan: true, KeyIngredients: []string{"retinal"},
		Variants: []demoVariant{{"30 ml", "SRM-RET-30", 3900, 4300, 1200, 60, 0}}, Draft: true},
}
