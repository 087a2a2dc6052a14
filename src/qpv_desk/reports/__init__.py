"""Report writers (Word, Excel): plain data in, file out. No Qt here."""
