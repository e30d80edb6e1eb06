"""Languages: gettext catalogs for labels, Babel formatting of numbers and dates."""
