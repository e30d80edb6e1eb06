"""The units KPIs are stored in: printed labels per report language, and exact conversion.

A unit code is what the project stores (`tCO2e`, `MWh`, `person` …); the label is what a table
prints in each language. Seeds write 噸二氧化碳當量 in zh-Hant and tCO₂e in English, so labels are
data, not formatting.

What a unit *means* comes from pint: every code has a pint expression over one registry that
knows the SI units plus our own base dimensions (CO₂e, persons, cases, renminbi …). The registry
runs on Fractions, so a conversion factor is an exact ratio (1 GJ = 5/18 MWh), and values stay
Decimals: no float ever touches a reported figure. Different counted things (persons, cases,
suppliers) are different dimensions, so a formula that adds persons to cases is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

from esg_author.core.errors import ModelError, UnitError

if TYPE_CHECKING:
    import pint


@dataclass(frozen=True)
class UnitSpec:
    expression: str  # pint expression in the registry below
    en: str
    zh_hant: str
    zh_hans: str


# code: pint expression and labels (en, zh-Hant, zh-Hans)
_UNITS: dict[str, UnitSpec] = {
    "t": UnitSpec("tonne", "tonnes", "噸", "吨"),
    "kg": UnitSpec("kilogram", "kg", "千克", "千克"),
    "tCO2e": UnitSpec("tCO2e", "tCO₂e", "噸二氧化碳當量", "吨二氧化碳当量"),
    "kgCO2e": UnitSpec("kgCO2e", "kgCO₂e", "千克二氧化碳當量", "千克二氧化碳当量"),
    "tCO2e_per_person": UnitSpec("tCO2e / person", "tCO₂e/employee", "噸二氧化碳當量/人", "吨二氧化碳当量/人"),
    "tCO2e_per_rmb_million": UnitSpec("tCO2e / RMB_million", "tCO₂e/RMB million revenue",
                                      "噸二氧化碳當量/百萬元人民幣收入", "吨二氧化碳当量/百万元人民币收入"),
    "MWh": UnitSpec("MWh", "MWh", "兆瓦時", "兆瓦时"),
    "MWh_per_person": UnitSpec("MWh / person", "MWh/employee", "兆瓦時/人", "兆瓦时/人"),
    "MWh_per_rmb_million": UnitSpec("MWh / RMB_million", "MWh/RMB million revenue", "兆瓦時/百萬元人民幣收入", "兆瓦时/百万元人民币收入"),
    "kWh": UnitSpec("kWh", "kWh", "千瓦時", "千瓦时"),
    # HKEX's own wording for energy: "kWh in '000s" (千個千瓦時).
    "kWh_thousand": UnitSpec("kWh_thousand", "'000 kWh", "千個千瓦時", "千个千瓦时"),
    "kWh_thousand_per_person": UnitSpec("kWh_thousand / person", "'000 kWh/employee", "千個千瓦時/人", "千个千瓦时/人"),
    "GJ": UnitSpec("GJ", "GJ", "吉焦", "吉焦"),
    "GJ_per_person": UnitSpec("GJ / person", "GJ/employee", "吉焦/人", "吉焦/人"),
    "m3": UnitSpec("meter ** 3", "m³", "立方米", "立方米"),
    "m3_per_person": UnitSpec("meter ** 3 / person", "m³/employee", "立方米/人", "立方米/人"),
    "m3_per_rmb_million": UnitSpec("meter ** 3 / RMB_million", "m³/RMB million revenue", "立方米/百萬元人民幣收入", "立方米/百万元人民币收入"),
    "t_per_person": UnitSpec("tonne / person", "tonnes/employee", "噸/人", "吨/人"),
    "t_per_rmb_million": UnitSpec("tonne / RMB_million", "tonnes/RMB million revenue", "噸/百萬元人民幣收入", "吨/百万元人民币收入"),
    "kg_per_person": UnitSpec("kilogram / person", "kg/employee", "千克/人", "千克/人"),
    "person": UnitSpec("person", "persons", "人", "人"),
    "percent": UnitSpec("percent", "%", "%", "%"),
    "hour": UnitSpec("hour", "hours", "小時", "小时"),
    "hour_per_person": UnitSpec("hour / person", "hours/employee", "小時/人", "小时/人"),
    "day": UnitSpec("day", "days", "日", "日"),
    "case": UnitSpec("case", "cases", "宗", "起"),
    "company": UnitSpec("company", "suppliers", "家", "家"),
    "count": UnitSpec("item", "number", "個", "个"),
    "RMB": UnitSpec("RMB", "RMB", "人民幣元", "人民币元"),
    "RMB_thousand": UnitSpec("RMB_thousand", "RMB thousand", "人民幣千元", "人民币千元"),
    "RMB_ten_thousand": UnitSpec("RMB_ten_thousand", "RMB ten thousand", "人民幣萬元", "人民币万元"),
    "RMB_million": UnitSpec("RMB_million", "RMB million", "人民幣百萬元", "人民币百万元"),
    "score": UnitSpec("score", "points", "分", "分"),
    "person_time": UnitSpec("person_time", "person-times", "人次", "人次"),
}
_LANG_INDEX = {"en": 0, "zh-Hant": 1, "zh-Hans": 2}

# Our additions to pint's default registry. CO₂ and CO₂e share one dimension on purpose: grid
# factors are published in tCO₂/MWh and every seed uses them to report Scope 2 in tCO₂e.
_DEFINITIONS = """
gCO2e = [co2e]
kgCO2e = 1000 gCO2e
tCO2e = 1000000 gCO2e
gCO2 = gCO2e
kgCO2 = kgCO2e
tCO2 = tCO2e
kWh_thousand = 1000 kWh
person = [person]
person_time = [person_time]
case = [case]
company = [company]
item = [item]
score = [score]
RMB = [rmb]
RMB_thousand = 1000 RMB
RMB_ten_thousand = 10000 RMB
RMB_million = 1000000 RMB
"""

# Labels of symbols that appear in emission-factor units ("kgCO2e/kWh", "tCO2e/t", "kgCO2e/L").
_SYMBOL_LABELS: dict[str, tuple[str, str, str]] = {
    "tCO2": ("tCO₂", "噸二氧化碳", "吨二氧化碳"),
    "kgCO2": ("kgCO₂", "千克二氧化碳", "千克二氧化碳"),
    "L": ("L", "升", "升"),
    "litre": ("L", "升", "升"),
    "TJ": ("TJ", "太焦", "太焦"),
    "unit": ("unit", "度", "度"),
}


# -- labels ----------------------------------------------------------------------------------


def unit_codes() -> list[str]:
    return list(_UNITS)


def is_known_unit(code: str) -> bool:
    return code in _UNITS


def unit_label(code: str, lang: str) -> str:
    try:
        spec = _UNITS[code]
    except KeyError:
        raise ModelError(f"unknown unit {code!r}") from None
    return (spec.en, spec.zh_hant, spec.zh_hans)[_LANG_INDEX.get(lang, 0)]


def inline_unit_label(code: str, lang: str) -> str:
    """The unit as written after a number in running text ("1,234 tCO₂e", "2,612名僱員" is not
    attempted: Chinese text uses the table label)."""
    if code == "percent":
        return "%"
    return unit_label(code, lang)


def expression_label(expression: str, lang: str) -> str:
    """A unit expression such as "kgCO2e/kWh" (an emission factor's unit) written for `lang`."""
    parts = [part.strip() for part in expression.split("/")]
    index = _LANG_INDEX.get(lang, 0)
    labels = []
    for part in parts:
        if part in _UNITS:
            labels.append(unit_label(part, lang))
        elif part in _SYMBOL_LABELS:
            labels.append(_SYMBOL_LABELS[part][index])
        else:
            labels.append(part.replace("CO2", "CO₂"))
    return "/".join(labels)


# -- meaning and conversion -----------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """A unit reduced to pint's base units: scale × base units, with the base dimensions."""

    scale: Fraction
    dims: tuple[tuple[str, int], ...]  # sorted (dimension, exponent), e.g. (("[co2e]", 1), ("[person]", -1))

    @property
    def is_dimensionless(self) -> bool:
        return not self.dims


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """pint's default registry plus our units, exact (Fractions); built on first use (~0.15 s)."""
    import pint  # imported lazily: most commands never convert a unit

    ureg = pint.UnitRegistry(non_int_type=Fraction)
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


@lru_cache(maxsize=1024)
def dimension(unit: str) -> Dimension:
    """What a unit code or a pint expression ("tCO2e/MWh", "kgCO2e/L") means, exactly.

    Raises UnitError when pint does not know the expression.
    """
    import pint

    expression = _UNITS[unit].expression if unit in _UNITS else unit
    if not expression.strip():
        raise UnitError("a unit is missing")
    try:
        quantity = registry().Quantity(Fraction(1), _pint_syntax(expression)).to_base_units()
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError) as exc:
        raise UnitError(f"unknown unit {unit!r}") from exc
    scale = Fraction(quantity.magnitude)
    dims = tuple(sorted((str(name), int(exp)) for name, exp in quantity.dimensionality.items() if exp))
    return Dimension(scale, dims)


def _pint_syntax(expression: str) -> str:
    # "m3" in a factor's unit means cubic metres; pint would read it as a unit named "m3".
    return re.sub(r"\bm([23])\b", r"meter ** \1", expression)


def are_compatible(first: str, second: str) -> bool:
    return dimension(first).dims == dimension(second).dims


def conversion_factor(from_unit: str, to_unit: str) -> Fraction:
    """The exact number by which a value in from_unit is multiplied to be in to_unit."""
    source, target = dimension(from_unit), dimension(to_unit)
    if source.dims != target.dims:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}: they measure different things "
                        f"({describe_dims(source.dims)} vs {describe_dims(target.dims)})")
    return source.scale / target.scale


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """value (in from_unit) expressed in to_unit, computed with Decimals from an exact factor."""
    if from_unit == to_unit:
        return value
    factor = conversion_factor(from_unit, to_unit)
    if factor == 1:
        return value
    return value * Decimal(factor.numerator) / Decimal(factor.denominator)


_KIND_NAMES = {"MWh": "energy", "t": "mass", "m3": "volume", "hour": "time", "tCO2e": "emissions (CO₂e)",
               "person": "persons", "person_time": "person-times", "case": "cases", "company": "companies",
               "count": "counted items", "score": "points", "RMB": "money (RMB)"}


@lru_cache(maxsize=1)
def _kinds() -> dict[tuple[tuple[str, int], ...], str]:
    return {dimension(code).dims: name for code, name in _KIND_NAMES.items()}


def describe_dims(dims: tuple[tuple[str, int], ...]) -> str:
    """"energy", "emissions (CO₂e) per persons"-style text for messages."""
    if not dims:
        return "a plain number"
    if dims in _kinds():
        return _kinds()[dims]
    top = tuple((name, exp) for name, exp in dims if exp > 0)
    bottom = tuple((name, -exp) for name, exp in dims if exp < 0)
    if top in _kinds() and bottom in _kinds():
        return f"{_kinds()[top]} per {_kinds()[bottom]}"
    top = [f"{name}{'^' + str(exp) if exp != 1 else ''}" for name, exp in dims if exp > 0]
    bottom = [f"{name}{'^' + str(-exp) if exp != -1 else ''}" for name, exp in dims if exp < 0]
    return ("·".join(top) or "1") + ("/" + "·".join(bottom) if bottom else "")


_COUNTED = ("[person]", "[case]", "[company]", "[item]", "[person_time]")
_DENOMINATORS = (*_COUNTED, "[rmb]")


def is_intensity(code: str) -> bool:
    """A unit per something (per person, per revenue): values of such KPIs do not add up.

    Energy is kg·m²/s² in base units, so a negative exponent alone does not make an intensity:
    only division by one of our denominators (persons, money …) or a code that says "_per_"."""
    if "_per_" in code:
        return True
    try:
        return any(exp < 0 and name in _DENOMINATORS for name, exp in dimension(code).dims)
    except UnitError:
        return False


def is_counted(code: str) -> bool:
    """A unit of whole things (persons, cases, suppliers): a share of them is k of n."""
    try:
        dims = dimension(code).dims
    except UnitError:
        return False
    return len(dims) == 1 and dims[0][0] in _COUNTED and dims[0][1] == 1
