"""Schema ids of the offer-management business objects."""

NS = "https://ns.adobe.com/experience/offer-management/"
PLACEMENT = NS + "offer-placement"
OFFER = NS + "personalized-offer"
FALLBACK = NS + "fallback-offer"
RULE = NS + "eligibility-rule"
TAG = NS + "tag"
FILTER = NS + "offer-filter"
ACTIVITY = NS + "offer-activity"

IMAGELINK = NS + "content-component-imagelink"
TEXT = NS + "content-component-text"
HTML = NS + "content-component-html"
