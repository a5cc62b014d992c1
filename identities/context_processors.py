from identities.pricing import price_list


def pricing(request):
    """Prices for every template ("Promote · 50 credits"), from the one price list."""
    return {"prices": price_list()}
