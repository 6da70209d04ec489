"""The fortnightly IOM meeting: its agenda from the data, attendance, decisions and minutes."""
