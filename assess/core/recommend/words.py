"""Numbers, money and lists as people write them, for the recommendation's sentences."""

from __future__ import annotations

from collections.abc import Sequence


def number(value: float) -> str:
    """A number as people write it.

    >>> number(1.0), number(0.5), number(-4), number(1500000)
    ('1', '0.5', '-4', '1500000')
    """
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def join(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join(["HIPAA"]), join(["HIPAA", "GLBA"]), join(["a", "b", "c"])
    ('HIPAA', 'HIPAA and GLBA', 'a, b and c')
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def money(usd: float) -> str:
    """Dollars the way an owner reads them.

    >>> money(18_000_000), money(11_500_000), money(450_000_000), money(1_500_000_000)
    ('$18M', '$11.5M', '$450M', '$1.5B')
    >>> money(900_000)
    '$900,000'
    """
    if usd >= 1e9:
        return f"${usd / 1e9:,.1f}B".replace(".0B", "B")
    if usd >= 1e8:
        return f"${usd / 1e6:,.0f}M"
    if usd >= 1e6:
        return f"${usd / 1e6:,.1f}M".replace(".0M", "M")
    return f"${usd:,.0f}"


def about(usd: float) -> str:
    """Money rounded to the thousand, for estimates.

    >>> about(523_900)
    '$524,000'
    """
    return money(round(usd, -3))


def price(usd: float) -> str:
    """An option's yearly cost as a sentence quotes it: to the hundred, so it reads as the
    cost table's exact figure does (to the thousand, a $21,600 line read as "$22,000" and two
    lines no longer added up to their option's total).

    >>> price(108_336), price(21_600)
    ('$108,300', '$21,600')
    """
    return money(round(usd, -2))


def levels(value: float) -> str:
    """A gap in levels as text: one decimal, or two where one would round up to a whole
    level the value has not reached (1.99 is not "2.0", which reads as "two or more").

    >>> levels(1.5), levels(1.99), levels(2.0), levels(0.96)
    ('1.5', '1.99', '2.0', '0.96')
    """
    one = f"{value:.1f}"
    if float(one) > value and float(one).is_integer():
        return f"{value:.2f}"
    return one
