"""This app's menu items and home-page cards (see carecoord/navigation.py)."""


def nav_items(request):
    return []


def home_cards(request):
    return []
