"""Houqin's date and number formats, one date and one date-and-time format per language
(``FORMAT_MODULE_PATH``): English "7 Dec 2026" and "7 Dec 2026, 14:05", Chinese
"2026年12月7日" and "2026年12月7日 14:05"; the short formats are the same, so a list, a
detail page and an e-mail write a day alike. Money and counts are grouped by thousands with
a comma in both languages (Django's Chinese formats group by nothing). Inputs take ISO dates
first, as the browser's date fields send them.
"""
