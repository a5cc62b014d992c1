"""Assert on HTML through CSS selectors, not substrings."""

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def select(response, selector: str) -> list:
    return soup(response).select(selector)


def select_one(response, selector: str):
    return soup(response).select_one(selector)


def text_of(response, selector: str) -> str:
    node = select_one(response, selector)
    assert node is not None, f"nothing matches {selector!r}"
    return " ".join(node.get_text(" ").split())
