package main

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// automationConditionValue types an automation condition's value
// (internal/automations, parseOperand): a whole number (customer.order_count),
// Money (customer.total_spent, order.total), a string (a locale, or an id
// for contains) or a list of numbers or strings (in). Each kind is a named
// component so generators name the union's members.
func automationConditionValue(doc *openapi3.T) {
	cond := doc.Components.Schemas["AutomationCondition"]
	money := doc.Components.Schemas["Money"]
	if cond == nil || money == nil || cond.Value.Properties["value"] == nil {
		return
	}
	kinds := openapi3.SchemaRefs{
		componentRef(doc, "ConditionCount", described(openapi3.NewInt64Schema().WithMin(0),
			"A whole number (customer.order_count).")),
		{Ref: "#/components/schemas/Money", Value: money.Value},
		componentRef(doc, "ConditionText", described(openapi3.NewStringSchema().WithMinLength(1),
			"A language tag (customer.locale) or one id (contains).")),
		componentRef(doc, "ConditionCountList", described(openapi3.NewArraySchema().
			WithItems(openapi3.NewInt64Schema().WithMin(0)).WithMinItems(1).WithMaxItems(100),
			"Whole numbers (in, on customer.order_count).")),
		componentRef(doc, "ConditionTextList", described(openapi3.NewArraySchema().
			WithItems(openapi3.NewStringSchema().WithMinLength(1)).WithMinItems(1).WithMaxItems(100),
			"Language tags or ids (in).")),
	}
	cond.Value.Properties["value"] = componentRef(doc, "AutomationConditionValue", &openapi3.Schema{
		Description: "What the field is compared with; its type follows the field and the operator " +
			"(docs/automations.md): a whole number, Money, a string or a list.",
		OneOf: kinds,
	})
}
