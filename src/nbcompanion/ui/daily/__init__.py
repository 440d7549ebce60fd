"""The pages for the days between visits: Home, Diary, Medicines, Questions, Care team, Trends."""
