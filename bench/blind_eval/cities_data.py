"""The cities of the blind evaluation set: what a city would put in a spreadsheet, and the coded facts.

Written without looking at the product's concepts or ranking code.  Each city is a dict with the
importer's columns and `incidents` (the text of each attack plus its coded facts) and `lessons`
(title, phase, themes, body, and the response needs the lesson covers).  `build.py` turns this into
cities.csv, lessons.csv and facts.json.
"""


def incident(year, text, kind, target, motive, needs=()):
    """One attack: the sentence(s) a city official wrote, and its coded facts."""
    return {"year": year, "text": text, "kind": list(kind), "target": list(target),
            "motive": list(motive), "needs": list(needs)}


def lesson(title, phase, themes, body, needs=()):
    """One lesson a city shares, with the response needs it covers."""
    return {"title": title, "phase": phase, "themes": themes, "body": body, "needs": list(needs)}


def city(name, country, region, population, languages, expertise, incidents, lessons):
    return {"name": name, "country": country, "region": region, "population": population,
            "languages": languages, "expertise": expertise, "incidents": incidents,
            "lessons": lessons}


CITIES = [
    city("Christchurch", "New Zealand", "Oceania", 389300, "English; Maori",
         "victim support, Muslim community liaison, online extremism",
         [incident(2019,
                   "On 15 March 2019 a gunman attacked worshippers at Friday prayers in two mosques, "
                   "Al Noor and Linwood, killing 51 people. The attacker was a white supremacist who "
                   "streamed the shooting live on social media and published a manifesto. Many victims "
                   "were migrants and refugees whose families lived abroad.",
                   ["shooting"], ["mosque"], ["far_right", "anti_muslim"],
                   ["livestream", "foreign_victims"])],
         [lesson("Taking down the video is a city job too", "First 24 hours",
                 "online harm; communications",
                 "The livestreamed footage circulated for days. We asked residents not to share it, "
                 "worked with platforms and the national censor, and gave schools a script for pupils "
                 "who had seen it.", ["livestream", "online_hate", "children"]),
          lesson("Visas and flights for families abroad", "First week", "victim support; consular",
                 "Relatives of victims came from a dozen countries. A single desk dealt with visas, "
                 "burial according to Islamic custom within days, and interpreters.",
                 ["foreign_victims", "family_contact"]),
          lesson("A fund that victims helped design", "First months", "victims fund",
                 "Donations arrived from all over the world. Criteria for the fund were agreed with "
                 "the affected families and published.", ["victims_fund", "donations_volunteers"])]),

    city("Halle (Saale)", "Germany", "Europe", 238000, "German",
         "Jewish community security, antisemitism, right-wing extremism prevention",
         [incident(2019,
                   "On Yom Kippur 2019 a heavily armed right-wing extremist tried to force his way into "
                   "the synagogue in the Paulus quarter where 51 people were praying. The door held. He "
                   "shot a passer-by and then a young man in a nearby kebab shop, and broadcast the "
                   "attack on a gaming platform.",
                   ["shooting"], ["synagogue", "shop"], ["far_right", "antisemitic"],
                   ["livestream"])],
         [lesson("Protecting synagogues is not only a police matter", "Preparing to respond",
                 "security of places of worship",
                 "After the attack we funded doors, cameras and a contact officer for every Jewish "
                 "institution, and reviewed security with mosques too.",
                 ["security_places_of_worship", "prevention"]),
          lesson("Remembering the victims in the kebab shop", "Long term", "remembrance",
                 "The shop became a place of remembrance; the migrant community felt targeted as well "
                 "and asked to be included in every commemoration.", ["memorial", "anniversary"])]),

    city("Hanau", "Germany", "Western Europe", 101000, "German; Turkish",
         "victim families, remembrance, racism",
         [incident(2020,
                   "In February 2020 a racist gunman shot nine young people with a migrant background "
                   "in two shisha bars and a kiosk, then killed his mother and himself.",
                   ["shooting"], ["nightlife", "shop"], ["far_right"], [])],
         [lesson("One contact person per family", "First week", "victim support",
                 "Families were sent from office to office. We now name one city contact for each "
                 "family in the first days, who stays the same for years.", ["family_contact"]),
          lesson("A memorial the families agree with", "Long term", "remembrance; memorial",
                 "The families wanted the memorial in the central square, not on the outskirts. "
                 "Listening took two years and avoided a painful conflict.",
                 ["memorial", "anniversary"]),
          lesson("Questions of the families deserve answers", "First months", "accountability",
                 "Families asked why the emergency exit was locked and why the emergency number did "
                 "not answer. A transparent inquiry was part of recovery.", ["trial", "family_contact"])]),

    city("Pittsburgh", "United States", "North America", 303000, "English",
         "interfaith coalitions, trauma services, antisemitism",
         [incident(2018,
                   "On 27 October 2018 a man who posted antisemitic conspiracy theories opened fire "
                   "during Shabbat services at the Tree of Life synagogue in Squirrel Hill, killing "
                   "eleven worshippers from three congregations.",
                   ["shooting"], ["synagogue"], ["antisemitic", "far_right"], [])],
         [lesson("A resiliency center that stays open", "Long term", "trauma care",
                 "A community resiliency center offered counselling for years, including during the "
                 "trial and each anniversary.", ["psychosocial", "trial", "anniversary"]),
          lesson("Muslim neighbours raised funds in hours", "First week", "interfaith; fundraising",
                 "Muslim organisations raised funds for funerals. Interfaith vigils showed the "
                 "community that it was not alone.", ["vigil", "donations_volunteers", "community_dialogue"])]),

    city("El Paso", "United States", "", 678000, "English, Spanish",
         "bilingual crisis communication, cross-border coordination",
         [incident(2019,
                   "On 3 August 2019 a gunman who had posted an anti-immigrant manifesto drove hundreds "
                   "of miles to a Walmart store frequented by Hispanic families and shoppers from "
                   "Ciudad Juárez and killed 23 people. Several victims were Mexican citizens.",
                   ["shooting"], ["shop", "migrants"], ["far_right"], ["foreign_victims"])],
         [lesson("Families from across the border", "First 24 hours", "consular cooperation",
                 "The Mexican consulate sat in our family assistance center; every notice was in "
                 "Spanish and English.", ["foreign_victims", "family_contact"]),
          lesson("A healing garden", "Long term", "memorial",
                 "The Healing Garden was designed with families and opened for the second "
                 "anniversary.", ["memorial", "anniversary"])]),

    city("Buffalo", "United States", "North America", 276000, "English",
         "racial equity, food access, victim services",
         [incident(2022,
                   "On 14 May 2022 an 18-year-old white supremacist livestreamed his attack on a Tops "
                   "supermarket in a Black neighbourhood on the East Side, killing ten Black residents.",
                   ["shooting"], ["shop"], ["far_right"], ["livestream"])],
         [lesson("The only supermarket closed", "First week", "basic needs",
                 "The store was the only grocery in the area. The city organised food distribution "
                 "and free shuttles until it reopened.", ["donations_volunteers"]),
          lesson("Racism named as the cause", "First 24 hours", "communications",
                 "Leaders named the attack racist terrorism from day one, which the neighbourhood "
                 "said mattered.", ["media_pressure"])]),

    city("Charleston", "USA", "Americas", 150000, "English",
         "faith communities, forgiveness and reconciliation",
         [incident(2015,
                   "In June 2015 a young white supremacist joined a Bible study at the Emanuel African "
                   "Methodist Episcopal Church and shot nine Black parishioners, including the pastor.",
                   ["shooting"], ["church"], ["far_right"], [])],
         [lesson("Unity walks instead of riots", "First week", "community cohesion",
                 "A bridge walk brought thousands together; the families' public words of "
                 "forgiveness set the tone.", ["vigil", "community_dialogue"])]),

    city("Orlando", "United States", "North America", 310000, "English; Spanish",
         "LGBTQ community, family assistance center, victims fund",
         [incident(2016,
                   "In June 2016 a man who pledged allegiance to ISIS killed 49 people at the Pulse "
                   "nightclub during Latin night, most of them young LGBTQ Latinos, and held hostages "
                   "for three hours.",
                   ["shooting", "hostage"], ["lgbtq_venue", "nightlife"], ["jihadist"], [])],
         [lesson("A family assistance center within a day", "First 24 hours", "victim support",
                 "One place for families, with interpreters and all agencies, opened in a stadium "
                 "within 24 hours.", ["family_contact"]),
          lesson("The OneOrlando Fund paid out in four months", "First months", "victims fund",
                 "A simple protocol, public hearings and quick payments avoided disputes.",
                 ["victims_fund", "donations_volunteers"]),
          lesson("Outing victims to their families", "First week", "privacy",
                 "Some families did not know their child was gay. Staff were trained to handle this "
                 "with discretion.", ["family_contact"])]),

    city("Colorado Springs", "United States", "", 488000, "English",
         "LGBTQ safety, nightlife",
         [incident(2022,
                   "Shortly before midnight on 19 November 2022, the eve of the Transgender Day of "
                   "Remembrance, a gunman entered Club Q, an LGBTQ nightclub, and killed five people "
                   "before patrons tackled him.",
                   ["shooting"], ["lgbtq_venue", "nightlife"], ["anti_lgbtq"], [])],
         [lesson("Hate speech before the attack", "Preparing to respond", "prevention; online hate",
                 "Rhetoric against drag shows rose for months. We now monitor threats against LGBTQ "
                 "venues with the community.", ["online_hate", "prevention"])]),

    city("Toronto", "Canada", "North America", 2794000, "English; French; Tagalog; Mandarin",
         "mass casualty response, mental health, community resilience",
         [incident(2018,
                   "In April 2018 a man drove a rented van along the sidewalks of Yonge Street, killing "
                   "ten people, most of them women. He had posted about the incel movement.",
                   ["ramming"], ["public_space"], ["misogynist"], []),
          incident(2018,
                   "Three months later, in July 2018, a gunman opened fire on restaurants and "
                   "pedestrians on Danforth Avenue, killing two. Police found no link to terrorism; "
                   "his family spoke of psychosis.",
                   ["shooting"], ["public_space", "nightlife"], ["unclear"], [])],
         [lesson("#TorontoStrong fund", "First months", "victims fund",
                 "A single fund for both attacks with clear rules avoided competition between "
                 "appeals.", ["victims_fund", "donations_volunteers"]),
          lesson("Naming misogyny", "Long term", "gender-based violence prevention",
                 "We added incel ideology to our prevention training for schools and youth workers.",
                 ["prevention", "online_hate"])]),

    city("London", "Canada", "North America", 422000, "English; Arabic; Urdu",
         "Islamophobia, anti-hate strategy",
         [incident(2021,
                   "On 6 June 2021 a 20-year-old man deliberately drove his pickup truck into a Muslim "
                   "family of Pakistani origin out for an evening walk, killing four members of three "
                   "generations. The court found it was a terrorist act motivated by white nationalist "
                   "hatred of Muslims.",
                   ["ramming"], ["public_space"], ["anti_muslim", "far_right"], ["trial"])],
         [lesson("A vigil at the mosque the next evening", "First 24 hours", "vigil",
                 "Thousands came to the London Muslim Mosque; the city lowered flags for three days.",
                 ["vigil"]),
          lesson("Our Islamophobia summit", "Long term", "anti-hate strategy",
                 "A citywide action plan against Islamophobia came from listening sessions with "
                 "Muslim women.", ["prevention", "community_dialogue"])]),

    city("Quebec City", "Canada", "", 549000, "French, English",
         "Muslim community, mental health support",
         [incident(2017,
                   "Le 29 janvier 2017, un homme a ouvert le feu dans la grande mosquée de Québec "
                   "(Centre culturel islamique) à la fin de la prière du soir, tuant six fidèles. "
                   "L'auteur, nourri de discours hostiles aux immigrants et aux musulmans, a été "
                   "condamné à la prison à vie.",
                   ["shooting"], ["mosque"], ["anti_muslim"], ["trial"])],
         [lesson("Six orphaned families", "First months", "victim support",
                 "Seventeen children lost their fathers. Long-term school and psychological support "
                 "was organised with the school boards.", ["children", "psychosocial"])]),

    city("Nice", "France", "Europe", 342000, "French; Italian; English",
         "mass casualty events, foreign victims, remembrance",
         [incident(2016,
                   "Le 14 juillet 2016, un camion de 19 tonnes a foncé sur la foule réunie sur la "
                   "Promenade des Anglais après le feu d'artifice de la fête nationale: 86 morts dont "
                   "de nombreux enfants et des victimes de 19 nationalités. L'attentat a été revendiqué "
                   "par l'État islamique.",
                   ["ramming"], ["public_event", "public_space"], ["jihadist"], ["foreign_victims"]),
          incident(2020,
                   "En octobre 2020, un jeune Tunisien arrivé depuis peu a tué trois personnes au "
                   "couteau dans la basilique Notre-Dame.",
                   ["blade"], ["church"], ["jihadist"], [])],
         [lesson("Identifying victims of 19 nationalities", "First week", "victim support; consular",
                 "Families waited too long for identification. An information centre with consuls "
                 "and interpreters should open on day one.", ["foreign_victims", "family_contact"]),
          lesson("Children who saw the attack", "First months", "trauma care",
                 "A paediatric psychotrauma unit followed hundreds of children for years.",
                 ["children", "psychosocial"])]),

    city("Paris", "France", "Western Europe", 2100000, "French",
         "large-scale terrorism, victim support, commemorations",
         [incident(2015,
                   "Le 13 novembre 2015, des commandos djihadistes ont attaqué le Stade de France, des "
                   "terrasses de cafés et la salle de concert du Bataclan, faisant 130 morts. Au "
                   "Bataclan, les assaillants ont tiré sur le public puis retenu des otages.",
                   ["shooting", "bombing", "hostage"], ["concert", "nightlife", "public_event"],
                   ["jihadist"], []),
          incident(2015,
                   "En janvier de la même année, la rédaction de Charlie Hebdo avait été décimée et "
                   "des clients d'un supermarché casher pris en otage.",
                   ["shooting", "hostage"], ["media", "shop"], ["jihadist", "antisemitic"], [])],
         [lesson("A city victim support desk for years", "Long term", "victim support",
                 "Survivors still need help with housing, jobs and paperwork years later.",
                 ["psychosocial", "family_contact"]),
          lesson("Spontaneous memorials", "First months", "memorial; archives",
                 "Flowers, candles and letters were collected and archived by the city archives.",
                 ["memorial", "vigil"]),
          lesson("The trial as a second shock", "Long term", "justice",
                 "The ten-month trial reopened wounds; we provided listening rooms.",
                 ["trial", "psychosocial"])]),

    city("Conflans-Sainte-Honorine", "France", "Europe", 35000, "French",
         "teachers, online hate campaigns, secularism",
         [incident(2020,
                   "Le 16 octobre 2020, Samuel Paty, professeur d'histoire-géographie, a été décapité "
                   "près de son collège par un jeune radicalisé, après une campagne de haine sur les "
                   "réseaux sociaux déclenchée par une vidéo mensongère d'un parent d'élève.",
                   ["blade"], ["school"], ["jihadist"], ["misinformation", "online_hate"])],
         [lesson("A lie on social media can kill", "Preparing to respond", "online hate",
                 "The campaign started with a false accusation. Schools now report online campaigns "
                 "against staff to a single cell that reacts within hours.",
                 ["misinformation", "online_hate", "prevention"]),
          lesson("Pupils and teachers after the attack", "First week", "schools",
                 "Psychologists came to every class; teachers needed time to talk before teaching.",
                 ["children", "psychosocial"])]),

    city("Arras", "France", "Europe", 41000, "French",
         "school security",
         [incident(2023,
                   "Le 13 octobre 2023, un ancien élève radicalisé a tué au couteau le professeur "
                   "Dominique Bernard dans la cour du lycée Gambetta et blessé trois personnes.",
                   ["blade"], ["school"], ["jihadist"], [])],
         [lesson("Reopening the school", "First week", "schools; trauma care",
                 "The school reopened after three days with psychological support and a moment of "
                 "silence.", ["children", "psychosocial", "vigil"])]),

    city("Strasbourg", "France", "Europe", 290000, "French; German",
         "Christmas market security, cross-border cooperation",
         [incident(2018,
                   "Le 11 décembre 2018, un homme fiché S a ouvert le feu et poignardé des passants "
                   "près du marché de Noël, tuant cinq personnes, avant d'être abattu deux jours plus "
                   "tard. Il avait prêté allégeance à l'État islamique.",
                   ["shooting", "blade"], ["christmas_market"], ["jihadist"], ["foreign_victims"])],
         [lesson("Reopen the market or not?", "First week", "events; communications",
                 "We reopened the Christmas market after three days with a ceremony, which "
                 "traders and residents supported.", ["vigil", "community_dialogue"])]),

    city("Berlin", "Germany", "Europe", 3755000, "German; English; Turkish; Arabic",
         "large-scale terrorism, victim support, Christmas markets",
         [incident(2016,
                   "On 19 December 2016 a Tunisian Islamist drove a hijacked truck into the Christmas "
                   "market at Breitscheidplatz, killing 12 and injuring dozens. Victims came from "
                   "several countries.",
                   ["ramming"], ["christmas_market"], ["jihadist"], ["foreign_victims"])],
         [lesson("Families need one point of contact", "First week", "victim support",
                 "Families were not told for days where their relatives were and received bills. "
                 "A victims' commissioner now acts as single contact.",
                 ["family_contact", "foreign_victims"]),
          lesson("Bollards without a fortress", "Preparing to respond", "protective security",
                 "Barriers at markets were designed to look like street furniture.",
                 ["prevention"])]),

    city("Magdeburg", "Germany", "", 240000, "German",
         "Christmas market, misinformation after attacks",
         [incident(2024,
                   "On 20 December 2024 a doctor of Saudi origin drove a rented car at high speed "
                   "through the crowd at the Christmas market, killing six people and injuring "
                   "hundreds. His motives were confused: he was a declared critic of Islam with "
                   "grievances against German authorities. Within hours, far-right accounts "
                   "blamed Muslim refugees and a demonstration turned hostile against migrants.",
                   ["ramming"], ["christmas_market"], ["unclear"],
                   ["misinformation", "backlash"])],
         [lesson("Facts before speculation", "First 24 hours", "crisis communications",
                 "We published verified facts every two hours to counter false claims about the "
                 "attacker.", ["misinformation", "media_pressure"]),
          lesson("Migrants afraid to go out", "First week", "community cohesion",
                 "Racist insults rose after the attack; we increased patrols and hotlines for "
                 "migrant residents.", ["backlash", "community_dialogue"])]),

    city("Solingen", "Germany", "Europe", 160000, "German, Turkish",
         "remembrance, racism, public festivals",
         [incident(1993,
                   "In May 1993 four young neo-Nazis set fire to the house of the Turkish Genç family; "
                   "two women and three girls died.",
                   ["arson"], ["migrants"], ["far_right"], []),
          incident(2024,
                   "In August 2024, during the city's 650th anniversary 'Festival of Diversity', a "
                   "Syrian asylum seeker stabbed people in the crowd, killing three. The Islamic State "
                   "claimed the attack, and a fierce national debate on migration followed.",
                   ["blade"], ["public_event"], ["jihadist"], ["backlash"])],
         [lesson("Thirty years of remembrance", "Long term", "remembrance",
                 "Every year the city and the Genç family commemorate the arson together.",
                 ["anniversary", "memorial"]),
          lesson("Keeping the debate from splitting the city", "First week", "community cohesion",
                 "After the festival attack, we held joint appearances of mosque associations and "
                 "churches to prevent hostility against refugees.", ["backlash", "community_dialogue"])]),

    city("Mannheim", "Germany", "Europe", 315000, "German; Turkish",
         "political rallies, police, crowds",
         [incident(2024,
                   "On 31 May 2024 an Afghan man attacked an anti-Islam rally on the market square "
                   "with a knife; a police officer died of his wounds.",
                   ["blade"], ["protest", "police_military"], ["jihadist"], []),
          incident(2025,
                   "On 3 March 2025, Rose Monday, a German man drove his car through the pedestrian "
                   "zone, killing two. Investigators found no political motive; he had a history of "
                   "mental illness.",
                   ["ramming"], ["public_space"], ["unclear"], [])],
         [lesson("Two attacks in nine months", "First months", "trauma care",
                 "Residents felt the city was unsafe. A joint remembrance and visible services helped.",
                 ["psychosocial", "vigil"])]),

    city("Munich", "Germany", "Europe", 1510000, "German",
         "rumour control, crowds, police communication",
         [incident(2016,
                   "On 22 July 2016 an 18-year-old shot nine people, most with migrant backgrounds, at "
                   "the Olympia shopping centre; he admired right-wing extremists. False reports of "
                   "several attackers across the city caused panic for hours.",
                   ["shooting"], ["shop"], ["far_right"], ["misinformation"]),
          incident(2025,
                   "In February 2025 an Afghan man drove a car into a trade union demonstration, "
                   "killing a mother and her child; prosecutors assume an Islamist motive.",
                   ["ramming"], ["protest"], ["jihadist"], [])],
         [lesson("Rumours of many shooters", "First 24 hours", "crisis communications",
                 "Police tweets in several languages and a request not to share videos reduced "
                 "panic.", ["misinformation", "media_pressure"])]),

    city("Würzburg", "Germany", "Europe", 127000, "German",
         "refugee integration, mental health",
         [incident(2021,
                   "Im Juni 2021 tötete ein psychisch kranker Somalier in einem Kaufhaus und auf der "
                   "Straße drei Frauen mit einem Messer. Ein islamistisches Motiv wurde nicht "
                   "nachgewiesen.",
                   ["blade"], ["shop", "public_space"], ["unclear"], ["backlash"])],
         [lesson("Witnesses who intervened", "First months", "trauma care",
                 "Passers-by who fought the attacker needed support too; we honoured them publicly.",
                 ["psychosocial"]),
          lesson("Against generalisations", "First week", "community cohesion",
                 "The Somali community was insulted; the mayor visited them the next day.",
                 ["backlash", "community_dialogue"])]),

    city("Hamburg", "Germany", "Europe", 1900000, "German",
         "religious communities",
         [incident(2023,
                   "In March 2023 a former member opened fire at a Kingdom Hall of Jehovah's Witnesses "
                   "during a service, killing seven people including an unborn child. No political "
                   "motive was found.",
                   ["shooting"], ["church"], ["unclear"], [])],
         [lesson("Small faith communities need a contact", "Preparing to respond",
                 "religious communities",
                 "We had no contact person with the congregation. Now we keep a list of all faith "
                 "communities.", ["security_places_of_worship"])]),

    city("Trier", "Germany", "", 111000, "German",
         "pedestrian zone protection",
         [incident(2020,
                   "On 1 December 2020 a man drove an SUV through the pedestrian zone, killing five "
                   "people including a baby. The court found no ideological motive; he was mentally "
                   "ill.",
                   ["ramming"], ["public_space"], ["unclear"], [])],
         [lesson("A memorial plate in the pedestrian zone", "Long term", "memorial",
                 "Families chose the spot and the words.", ["memorial", "anniversary"])]),

    city("Volkmarsen", "Germany", "Europe", 6800, "German",
         "small town response, carnival",
         [incident(2020,
                   "On Rose Monday 2020 a local man drove his car into the carnival parade, injuring "
                   "about 90 people, many of them children. His motive remained unclear.",
                   ["ramming"], ["public_event"], ["unclear"], [])],
         [lesson("A small town without resources", "First week", "victim support",
                 "We relied on the district and volunteers; a citizens' office was set up in the "
                 "town hall.", ["donations_volunteers", "children"])]),

    city("Kassel", "Germany", "Western Europe", 201000, "German",
         "protection of elected officials, right-wing extremism",
         [incident(2019,
                   "On 1 June 2019 the district president Walter Lübcke, who had defended the "
                   "reception of refugees, was shot dead on his terrace by a neo-Nazi.",
                   ["shooting"], ["politician"], ["far_right"], ["online_hate"])],
         [lesson("Threats against local politicians", "Preparing to respond", "online hate",
                 "Hate mail and online threats preceded the murder; we now log and report them.",
                 ["online_hate", "prevention"])]),

    city("Cologne", "Germany", "Europe", 1080000, "German; Turkish",
         "politicians' safety",
         [incident(2015,
                   "A day before the 2015 mayoral election, candidate Henriette Reker was stabbed in "
                   "the neck at a campaign stand by a man angry about refugee policy.",
                   ["blade"], ["politician"], ["far_right"], [])],
         [lesson("Election campaign stands", "Preparing to respond", "protective security",
                 "Campaign events now have a security check-list.", ["prevention"])]),

    city("Utrecht", "Netherlands", "Europe", 361000, "Dutch; English",
         "public transport, crisis communications",
         [incident(2019,
                   "Op 18 maart 2019 schoot een man in een tram op het 24 Oktoberplein vier mensen "
                   "dood. Hij handelde uit een terroristisch, religieus motief.",
                   ["shooting"], ["transport"], ["jihadist"], ["misinformation"])],
         [lesson("Stay inside: a city in lockdown", "First 24 hours", "crisis communications",
                 "The threat level was raised to the maximum; clear messages about schools and "
                 "transport were essential.", ["misinformation", "media_pressure"])]),

    city("Amsterdam", "Netherlands", "Europe", 921000, "Dutch; English; Turkish; Arabic",
         "radicalisation prevention, freedom of expression",
         [incident(2004,
                   "In november 2004 werd filmmaker Theo van Gogh op straat doodgeschoten en met een "
                   "mes toegetakeld door een radicale moslim. Daarna volgden brandstichtingen bij "
                   "moskeeën en islamitische scholen.",
                   ["shooting", "blade"], ["media"], ["jihadist"], ["backlash"]),
          incident(2018,
                   "In augustus 2018 stak een Afghaan twee Amerikaanse toeristen neer op het Centraal "
                   "Station.",
                   ["blade"], ["transport"], ["jihadist"], ["foreign_victims"])],
         [lesson("Mosques under attack after the murder", "First week", "community cohesion",
                 "Arson attacks on mosques and schools followed; we set up joint neighbourhood "
                 "watches.", ["backlash", "security_places_of_worship"]),
          lesson("A prevention programme for youth", "Long term", "prevention",
                 "Wij Amsterdammers funded youth workers and family support.", ["prevention"])]),

    city("Rotterdam", "Netherlands", "", 664000, "Dutch",
         "hospital and education safety",
         [incident(2023,
                   "In September 2023 a student set fire to a house and shot a neighbour and her "
                   "daughter, then shot a teacher and set fire to a classroom at the Erasmus MC "
                   "university hospital. No ideological motive was established.",
                   ["shooting", "arson"], ["hospital", "university"], ["unclear"], [])],
         [lesson("Hospital staff as victims", "First months", "trauma care",
                 "Colleagues needed long-term care; the hospital worked with the city's GGD.",
                 ["psychosocial"])]),

    city("Brussels", "Belgium", "Europe", 1222000, "French; Dutch; English; Arabic",
         "transport, airport, radicalisation",
         [incident(2016,
                   "On 22 March 2016 suicide bombers attacked the departure hall of Zaventem airport "
                   "and a metro train at Maelbeek station, killing 32 people of many nationalities.",
                   ["bombing"], ["transport"], ["jihadist"], ["foreign_victims"]),
          incident(2014,
                   "In May 2014 a returnee from Syria shot four people at the Jewish Museum.",
                   ["shooting"], ["synagogue"], ["antisemitic", "jihadist"], [])],
         [lesson("Victims waited years for compensation", "Long term", "victims fund",
                 "A one-stop shop for victims and a fund with simple rules came too late.",
                 ["victims_fund", "family_contact"]),
          lesson("Molenbeek stigmatised", "First months", "community cohesion",
                 "The neighbourhood was blamed in world media; young people felt targeted.",
                 ["backlash", "media_pressure"])]),

    city("Liège", "Belgium", "Europe", 197000, "French",
         "police safety",
         [incident(2018,
                   "Le 29 mai 2018, un détenu en congé pénitentiaire a tué deux policières au couteau "
                   "avec leurs propres armes puis un jeune homme, avant de prendre une employée "
                   "d'école en otage.",
                   ["blade", "shooting", "hostage"], ["police_military", "school"], ["jihadist"], [])],
         [lesson("Families of police officers", "First week", "victim support",
                 "Police families need their own contact and ceremony.", ["family_contact", "vigil"])]),

    city("Manchester", "United Kingdom", "Europe", 552000, "English; Urdu",
         "concerts, children, victim support, Jewish community",
         [incident(2017,
                   "On 22 May 2017 a suicide bomber detonated a device in the foyer of the Manchester "
                   "Arena at the end of an Ariana Grande concert, killing 22 people, many of them "
                   "children and teenagers.",
                   ["bombing"], ["concert"], ["jihadist"], []),
          incident(2025,
                   "On Yom Kippur 2025 a man drove his car at worshippers outside the Heaton Park "
                   "Hebrew Congregation synagogue and stabbed people; two worshippers died.",
                   ["ramming", "blade"], ["synagogue"], ["jihadist", "antisemitic"], [])],
         [lesson("The We Love Manchester fund", "First months", "victims fund",
                 "A fund with the local paper raised millions; paying bereaved and injured quickly "
                 "mattered.", ["victims_fund", "donations_volunteers"]),
          lesson("Bees, vigils and one voice", "First week", "vigil; communications",
                 "The vigil in Albert Square and a poem gave the city a shared voice.",
                 ["vigil", "memorial"]),
          lesson("Hate crime against Muslims after the bombing", "First week", "hate crime",
                 "Reports of hate crimes doubled; we publicised how to report them.",
                 ["backlash"])]),

    city("Southport", "United Kingdom", "", 94000, "English",
         "misinformation, riots, children's services",
         [incident(2024,
                   "On 29 July 2024 a 17-year-old stabbed children at a Taylor Swift-themed dance class, "
                   "killing three girls. False claims online that he was a Muslim asylum seeker led to a "
                   "riot at the local mosque the next evening and disorder across England. Police said "
                   "the attack was not being treated as terrorism.",
                   ["blade"], ["school"], ["unclear"], ["misinformation", "riots", "backlash"])],
         [lesson("Fill the information vacuum", "First 24 hours", "crisis communications",
                 "We could not name the attacker because he was a minor; false names spread within "
                 "hours. Say early what can be said.", ["misinformation", "media_pressure"]),
          lesson("Protecting the mosque", "First week", "community cohesion",
                 "Residents rebuilt the mosque wall the day after the riot.",
                 ["riots", "backlash", "security_places_of_worship", "donations_volunteers"])]),

    city("Plymouth", "United Kingdom", "Europe", 264000, "English",
         "gun licensing, misogyny",
         [incident(2021,
                   "In August 2021 a man who had shared incel content online shot his mother and five "
                   "other people in Keyham, including a three-year-old girl.",
                   ["shooting"], ["public_space"], ["misogynist"], [])],
         [lesson("A community hub in Keyham", "First months", "community recovery",
                 "A drop-in centre offered support and a place to talk.", ["psychosocial"])]),

    city("Reading", "United Kingdom", "Europe", 174000, "English",
         "parks, LGBTQ community",
         [incident(2020,
                   "In June 2020 a Libyan refugee stabbed three men to death in Forbury Gardens on a "
                   "summer evening. The victims were friends, all gay; the court found a terrorist "
                   "motive.",
                   ["blade"], ["public_space"], ["jihadist"], [])],
         [lesson("A memorial in the park", "Long term", "memorial",
                 "A memorial bench and annual picnic were agreed with the victims' friends.",
                 ["memorial", "anniversary"])]),

    city("Kirklees", "United Kingdom", "Europe", 433000, "English; Urdu; Punjabi",
         "elected officials, cohesion",
         [incident(2016,
                   "On 16 June 2016 the local MP Jo Cox was shot and stabbed outside her constituency "
                   "surgery in Birstall by a man obsessed with Nazism.",
                   ["shooting", "blade"], ["politician"], ["far_right"], [])],
         [lesson("The Great Get Together", "Long term", "cohesion; remembrance",
                 "Street parties on the anniversary weekend focus on what unites us.",
                 ["anniversary", "community_dialogue"])]),

    city("Southend-on-Sea", "United Kingdom", "", 182000, "English",
         "MPs' safety",
         [incident(2021,
                   "In October 2021 Sir David Amess MP was stabbed to death at a constituency surgery in "
                   "a Methodist church hall by a man radicalised by Islamic State propaganda.",
                   ["blade"], ["politician"], ["jihadist"], [])],
         [lesson("City status in his memory", "Long term", "remembrance",
                 "The city status he had campaigned for became a memorial.", ["memorial"])]),

    city("Islington", "United Kingdom", "Europe", 216000, "English; Somali; Bengali; Turkish",
         "mosque security, faith leaders",
         [incident(2017,
                   "Shortly after midnight on 19 June 2017, during Ramadan, a man drove a van into "
                   "worshippers leaving prayers near the Muslim Welfare House in Finsbury Park; one man "
                   "died. The imam protected the attacker from the crowd until police arrived.",
                   ["ramming"], ["mosque", "public_space"], ["anti_muslim", "far_right"], [])],
         [lesson("Faith leaders calm the street", "First 24 hours", "community leadership",
                 "The imam's action and joint statements prevented revenge.",
                 ["community_dialogue", "vigil"])]),

    city("Dublin", "Ireland", "Europe", 592000, "English; Irish",
         "riots, misinformation, public order",
         [incident(2023,
                   "On 23 November 2023 a man stabbed three young children and a care worker outside a "
                   "school on Parnell Square. That evening, after online rumours about the attacker's "
                   "nationality, rioters burned buses and a tram and looted shops in the city centre. "
                   "Gardaí said there was no terrorist motive.",
                   ["blade"], ["school"], ["unclear"], ["riots", "misinformation", "backlash"])],
         [lesson("Rumours spread faster than facts", "First 24 hours", "crisis communications",
                 "Messages in Telegram groups mobilised rioters within three hours.",
                 ["misinformation", "riots"]),
          lesson("Migrant workers afraid after the riots", "First week", "community cohesion",
                 "Delivery riders and taxi drivers were attacked; we met migrant groups.",
                 ["backlash", "community_dialogue"])]),

    city("Barcelona", "Spain", "Europe", 1620000, "Catalan; Spanish; English",
         "foreign victims, tourism, social cohesion",
         [incident(2017,
                   "El 17 de agosto de 2017 una furgoneta arrolló a los peatones en La Rambla, matando "
                   "a 14 personas de nueve nacionalidades. Una célula yihadista de Ripoll fue "
                   "responsable. Después hubo insultos y pintadas contra musulmanes.",
                   ["ramming"], ["public_space"], ["jihadist"], ["foreign_victims", "backlash"])],
         [lesson("No tinc por", "First week", "community cohesion",
                 "The march 'I am not afraid' brought Muslim associations to the front.",
                 ["vigil", "community_dialogue", "backlash"]),
          lesson("Tourists and their families", "First 24 hours", "consular",
                 "Hotels and consulates worked with an information point for relatives.",
                 ["foreign_victims", "family_contact"])]),

    city("Madrid", "Spain", "Europe", 3300000, "Spanish",
         "victims' associations, transport",
         [incident(2004,
                   "El 11 de marzo de 2004 diez bombas estallaron en cuatro trenes de cercanías, "
                   "matando a 193 personas. El atentado fue obra de una célula yihadista. Durante días "
                   "el gobierno atribuyó el ataque a ETA, lo que generó desconfianza.",
                   ["bombing"], ["transport"], ["jihadist"], ["misinformation", "foreign_victims"])],
         [lesson("Victims' associations as partners", "Long term", "victim support",
                 "Associations of victims have shaped memorials and laws for twenty years.",
                 ["memorial", "anniversary", "victims_fund"]),
          lesson("Do not rush to name the culprit", "First 24 hours", "communications",
                 "Blaming the wrong group cost trust.", ["misinformation"])]),

    city("Algeciras", "Spain", "", 123000, "Spanish; Arabic",
         "interreligious relations",
         [incident(2023,
                   "En enero de 2023 un hombre atacó con un machete dos iglesias, mató a un sacristán e "
                   "hirió a un sacerdote. La Audiencia Nacional lo investigó como terrorismo yihadista.",
                   ["blade"], ["church"], ["jihadist"], [])],
         [lesson("Churches and mosques together", "First week", "interfaith",
                 "A joint prayer of Catholic and Muslim leaders prevented hostility.",
                 ["community_dialogue", "backlash"])]),

    city("Stockholm", "Sweden", "Northern Europe", 984000, "Swedish; English; Arabic",
         "crowded places, volunteers",
         [incident(2017,
                   "Den 7 april 2017 körde en man en stulen lastbil längs Drottninggatan och in i "
                   "varuhuset Åhléns. Fem personer dog. Gärningsmannen sympatiserade med IS.",
                   ["ramming"], ["public_space", "shop"], ["jihadist"], [])],
         [lesson("A sea of flowers", "First week", "memorial",
                 "Residents covered the barriers with flowers; the city archived them.",
                 ["vigil", "memorial"]),
          lesson("Open homes", "First 24 hours", "volunteers",
                 "With transport stopped, residents offered beds using a hashtag.",
                 ["donations_volunteers"])]),

    city("Trollhättan", "Sweden", "Europe", 59000, "Swedish; Arabic; Somali",
         "schools, racism",
         [incident(2015,
                   "I oktober 2015 gick en maskerad man med svärd in i skolan Kronan och dödade en "
                   "lärarassistent och två elever. Han valde offer med mörk hudfärg; motivet var "
                   "rasistiskt.",
                   ["blade"], ["school"], ["far_right"], [])],
         [lesson("Parents and pupils in many languages", "First week", "schools",
                 "Information meetings with interpreters in Arabic, Somali and Tigrinya.",
                 ["children", "psychosocial"])]),

    city("Malmö", "Sweden", "Europe", 357000, "Swedish; Arabic",
         "antisemitism, racism, hate crime",
         [incident(2010,
                   "Between 2003 and 2010 a man shot at people with immigrant backgrounds from hiding, "
                   "killing two and injuring many; fear spread in the immigrant districts for months "
                   "until his arrest.",
                   ["shooting"], ["migrants", "public_space"], ["far_right"], [])],
         [lesson("Dialogue between Jews and Muslims", "Long term", "interfaith",
                 "Amanah pairs a rabbi and an imam in schools.",
                 ["community_dialogue", "prevention"])]),

    city("Örebro", "Sweden", "", 160000, "Swedish",
         "adult education, migrant communities",
         [incident(2025,
                   "I februari 2025 sköt en man tio personer till döds på Campus Risbergska, en skola "
                   "för vuxenutbildning och svenska för invandrare. Motivet är oklart; flera offer "
                   "hade utländsk bakgrund och många kände sig utpekade.",
                   ["shooting"], ["school"], ["unclear"], ["backlash"])],
         [lesson("Supporting students who are newcomers", "First week", "trauma care",
                 "Crisis support was offered in several languages at the school and in mosques.",
                 ["psychosocial", "community_dialogue"])]),

    city("Copenhagen", "Denmark", "Nordic", 660000, "Danish; English",
         "Jewish community, shopping centres",
         [incident(2015,
                   "Den 14.-15. februar 2015 skød en mand mod et debatmøde om ytringsfrihed i "
                   "Krudttønden og dræbte en filminstruktør, og senere en vagt ved synagogen i "
                   "Krystalgade.",
                   ["shooting"], ["synagogue", "media"], ["jihadist", "antisemitic"], []),
          incident(2022,
                   "I juli 2022 dræbte en psykisk syg mand tre personer i indkøbscentret Field's. "
                   "Politiet udelukkede terror.",
                   ["shooting"], ["shop"], ["unclear"], [])],
         [lesson("Crisis helpline for young people", "First week", "trauma care",
                 "Many victims at Field's were teenagers; we opened a helpline and school support.",
                 ["children", "psychosocial"])]),

    city("Kongsberg", "Norway", "Europe", 27000, "Norwegian",
         "small town crisis management, mental health",
         [incident(2021,
                   "13. oktober 2021 drepte en mann fem personer med pil og bue og kniv i sentrum. "
                   "Politiet vurderte først terror, men gjerningsmannen var alvorlig psykisk syk.",
                   ["blade", "shooting"], ["public_space"], ["unclear"], ["misinformation"])],
         [lesson("Ett telefonnummer for pårørende", "First 24 hours", "victim support",
                 "One phone number for relatives and a reception centre at the hotel.",
                 ["family_contact"])]),

    city("Oslo", "Norway", "Europe", 709000, "Norwegian; English",
         "terrorism response, LGBTQ community, youth",
         [incident(2011,
                   "22. juli 2011 sprengte en høyreekstrem terrorist en bilbombe ved regjeringskvartalet "
                   "og drepte deretter 69 ungdommer på AUFs sommerleir på Utøya.",
                   ["bombing", "shooting"], ["government", "politician"], ["far_right"], []),
          incident(2022,
                   "Natt til 25. juni 2022, under Pride, åpnet en islamist ild ved utestedet London pub "
                   "og drepte to personer. Pride-paraden ble avlyst.",
                   ["shooting"], ["lgbtq_venue", "nightlife"], ["jihadist"], [])],
         [lesson("A rose march", "First week", "vigil",
                 "The rose march gathered 200,000 people; grief was shared openly.",
                 ["vigil", "memorial"]),
          lesson("Pride after the shooting", "First week", "LGBTQ community",
                 "The community marched anyway; we supported a spontaneous parade.",
                 ["vigil", "community_dialogue"])]),

    city("Bærum", "Norway", "", 128000, "Norwegian",
         "mosque security",
         [incident(2019,
                   "10. august 2019 angrep en ung høyreekstremist Al-Noor-moskeen med våpen. En eldre "
                   "frivillig overmannet ham. Tidligere hadde han drept stesøsteren sin.",
                   ["shooting"], ["mosque"], ["far_right", "anti_muslim"], [])],
         [lesson("Security at mosques", "Preparing to respond", "places of worship",
                 "Mosques now have contact with police and a security plan.",
                 ["security_places_of_worship"])]),

    city("Turku", "Finland", "Europe", 200000, "Finnish; Swedish",
         "market square, women's safety",
         [incident(2017,
                   "Elokuussa 2017 marokkolainen turvapaikanhakija puukotti ihmisiä kauppatorilla, "
                   "kaksi kuoli. Hän kohdisti hyökkäyksen naisiin; teko tuomittiin terrorismina.",
                   ["blade"], ["public_space"], ["jihadist"], ["backlash"])],
         [lesson("Demonstrations after the attack", "First week", "public order",
                 "Anti-immigrant demonstrations followed; we supported the counter-event.",
                 ["backlash"])]),

    city("Vienna", "Austria", "Europe", 1980000, "German; English; Turkish",
         "nightlife, city centre",
         [incident(2020,
                   "Am 2. November 2020, am letzten Abend vor dem Lockdown, schoss ein IS-Sympathisant "
                   "in der Innenstadt nahe der Synagoge auf Passanten und Lokalgäste; vier Menschen "
                   "starben. Zwei junge Männer türkischer und palästinensischer Herkunft halfen "
                   "Verletzten.",
                   ["shooting"], ["nightlife", "public_space"], ["jihadist"], ["misinformation"])],
         [lesson("Do not post videos", "First 24 hours", "crisis communications",
                 "Police asked people not to share footage; thousands of videos were uploaded to a "
                 "portal instead.", ["misinformation", "media_pressure"])]),

    city("Graz", "Austria", "", 291000, "German",
         "crowded streets",
         [incident(2015,
                   "Im Juni 2015 raste ein Mann mit seinem Geländewagen durch die Innenstadt und stach "
                   "auf Passanten ein; drei Menschen starben. Er war psychisch krank, ein politisches "
                   "Motiv gab es nicht.",
                   ["ramming", "blade"], ["public_space"], ["unclear"], [])],
         [lesson("Crisis intervention team", "First 24 hours", "trauma care",
                 "A crisis intervention team met witnesses on the street.", ["psychosocial"])]),

    city("Villach", "Austria", "Europe", 66000, "German",
         "youth radicalisation online",
         [incident(2025,
                   "Im Februar 2025 erstach ein 23-jähriger Syrer, der sich online radikalisiert hatte, "
                   "einen 14-Jährigen in der Innenstadt. Ein syrischer Essenslieferant stoppte ihn.",
                   ["blade"], ["public_space"], ["jihadist"], ["backlash", "online_hate"])],
         [lesson("TikTok radicalisation", "Preparing to respond", "prevention",
                 "We train youth workers to recognise online radicalisation.",
                 ["prevention", "online_hate"])]),

    city("Bratislava", "Slovakia", "Central Europe", 475000, "Slovak",
         "LGBTQ community, hate speech",
         [incident(2022,
                   "V októbri 2022 zastrelil 19-ročný extrémista dvoch mladých mužov pred LGBTI barom "
                   "Tepláreň. Pred činom zverejnil manifest.",
                   ["shooting"], ["lgbtq_venue", "nightlife"], ["anti_lgbtq", "far_right"], [])],
         [lesson("Politicians' words matter", "First week", "hate speech",
                 "Vigils demanded an end to hate speech by politicians.",
                 ["vigil", "online_hate"])]),

    city("Prague", "Czech Republic", "Europe", 1357000, "Czech; English",
         "universities, mass shootings",
         [incident(2023,
                   "Dne 21. prosince 2023 zastřelil student ve Filozofické fakultě Univerzity Karlovy "
                   "14 lidí. Policie vyloučila terorismus; pachatel neměl ideologický motiv.",
                   ["shooting"], ["university"], ["unclear"], ["foreign_victims"])],
         [lesson("Students from abroad", "First week", "university",
                 "International students needed information in English and contact with embassies.",
                 ["foreign_victims", "psychosocial"])]),

    city("Belgrade", "Serbia", "Western Balkans", 1680000, "Serbian",
         "schools, mental health",
         [incident(2023,
                   "In May 2023 a 13-year-old pupil shot nine classmates and a guard at the Vladislav "
                   "Ribnikar primary school. No ideological motive.",
                   ["shooting"], ["school"], ["unclear"], [])],
         [lesson("Children need months of support", "First months", "schools",
                 "Pupils from the school were taught in another building with psychologists.",
                 ["children", "psychosocial"])]),

    city("Istanbul", "Turkey", "Europe", 15600000, "Turkish; Kurdish; English",
         "tourism, nightlife, airports",
         [incident(2017,
                   "1 Ocak 2017 gecesi bir IŞİD militanı Reina gece kulübünde yılbaşı kutlayanlara "
                   "ateş açtı; çoğu yabancı 39 kişi öldü.",
                   ["shooting"], ["nightlife"], ["jihadist"], ["foreign_victims"]),
          incident(2016,
                   "Haziran 2016'da Atatürk Havalimanı'nda üç intihar bombacısı 45 kişiyi öldürdü.",
                   ["bombing", "shooting"], ["transport"], ["jihadist"], ["foreign_victims"])],
         [lesson("Repatriating foreign victims", "First week", "consular",
                 "Embassies needed one contact at the city and the morgue.",
                 ["foreign_victims", "family_contact"])]),

    city("Ankara", "Turkey", "Middle East", 5700000, "Turkish",
         "rallies, protest safety",
         [incident(2015,
                   "10 Ekim 2015'te Ankara Garı önünde barış mitingine katılanlar arasında iki canlı "
                   "bomba patladı; 103 kişi öldü. Saldırıyı IŞİD üstlendi.",
                   ["bombing"], ["protest", "transport"], ["jihadist"], [])],
         [lesson("Blood donations", "First 24 hours", "volunteers",
                 "Thousands donated blood; we coordinated volunteers through the municipality.",
                 ["donations_volunteers"])]),

    city("Tunis", "Tunisia", "Africa", 638000, "Arabic; French",
         "tourism, museums",
         [incident(2015,
                   "في 18 مارس 2015 هاجم مسلحان متحف باردو وقتلا 22 شخصاً أغلبهم سياح أجانب. "
                   "وتبنى تنظيم الدولة الإسلامية الهجوم.",
                   ["shooting", "hostage"], ["tourist_site", "public_space"], ["jihadist"], ["foreign_victims"])],
         [lesson("Tourists and their embassies", "First week", "consular",
                 "A single crisis cell dealt with 10 embassies.", ["foreign_victims"])]),

    city("Nairobi", "Kenya", "East Africa", 4397000, "Swahili; English",
         "shopping malls, hotels, hostage situations",
         [incident(2013,
                   "In September 2013 al-Shabaab gunmen stormed the Westgate shopping mall and held it "
                   "for four days; 67 people died, including foreigners.",
                   ["shooting", "hostage"], ["shop"], ["jihadist"], ["foreign_victims"]),
          incident(2019,
                   "In January 2019 the DusitD2 hotel complex was attacked; 21 died.",
                   ["shooting", "bombing"], ["hotel"], ["jihadist"], [])],
         [lesson("Somali Kenyans targeted", "First months", "community cohesion",
                 "Security sweeps in Eastleigh stigmatised Somali residents.",
                 ["backlash", "community_dialogue"]),
          lesson("Blood drives and volunteers", "First 24 hours", "volunteers",
                 "Volunteers and Red Cross managed donations.", ["donations_volunteers"])]),

    city("Garissa", "Kenya", "Africa", 163000, "Swahili; Somali; English",
         "universities",
         [incident(2015,
                   "On 2 April 2015 al-Shabaab gunmen attacked Garissa University College, separated "
                   "Christian students and killed 148 people.",
                   ["shooting", "hostage"], ["university"], ["jihadist"], [])],
         [lesson("Students far from home", "First week", "victim support",
                 "Families came from all over Kenya; we organised identification and transport.",
                 ["family_contact"])]),

    city("Kampala", "Uganda", "East Africa", 1680000, "English; Luganda; Swahili",
         "football screenings, crowded places",
         [incident(2010,
                   "On 11 July 2010 two bombs exploded among fans watching the World Cup final at a "
                   "rugby club and an Ethiopian restaurant; 74 died. Al-Shabaab claimed it.",
                   ["bombing"], ["public_event", "nightlife"], ["jihadist"], ["foreign_victims"])],
         [lesson("Public viewing safety", "Preparing to respond", "events",
                 "Screening venues now register with the authority.", ["prevention"])]),

    city("Mumbai", "India", "South Asia", 12400000, "Marathi; Hindi; English",
         "hotels, railway stations, hostage sieges",
         [incident(2008,
                   "From 26 to 29 November 2008, ten Lashkar-e-Taiba gunmen attacked the CST railway "
                   "station, the Taj and Oberoi hotels, a café and the Chabad house, killing 166 "
                   "people including many foreigners.",
                   ["shooting", "hostage", "bombing"], ["hotel", "transport", "synagogue"],
                   ["jihadist"], ["foreign_victims"])],
         [lesson("Live television helped the attackers", "First 24 hours", "media",
                 "Live coverage showed police positions; we now agree a media protocol.",
                 ["media_pressure", "livestream"])]),

    city("Colombo", "Sri Lanka", "Asia", 753000, "Sinhala; Tamil; English",
         "churches, hotels, backlash against Muslims",
         [incident(2019,
                   "On Easter Sunday 2019 suicide bombers attacked three churches and three luxury "
                   "hotels, killing more than 260 people, including foreign tourists. In the weeks "
                   "after, mobs attacked Muslim shops and mosques, and the government blocked social "
                   "media to stop rumours.",
                   ["bombing"], ["church", "hotel"], ["jihadist"],
                   ["backlash", "riots", "misinformation", "foreign_victims"])],
         [lesson("Social media blackout", "First week", "communications",
                 "Blocking platforms slowed rumours but also cut families off.",
                 ["misinformation"]),
          lesson("Protecting Muslim neighbourhoods", "First months", "community cohesion",
                 "Religious leaders toured together to stop reprisals.",
                 ["backlash", "riots", "community_dialogue"])]),

    city("Surabaya", "Indonesia", "Asia-Pacific", 2870000, "Indonesian; Javanese",
         "churches, families and radicalisation",
         [incident(2018,
                   "Pada 13 Mei 2018, satu keluarga pelaku bom bunuh diri menyerang tiga gereja di "
                   "Surabaya, menewaskan belasan jemaat. Hari berikutnya ada bom di markas polisi.",
                   ["bombing"], ["church", "police_military"], ["jihadist"], [])],
         [lesson("Children of the bombers", "First months", "deradicalisation",
                 "Surviving children of the attackers needed care and protection.",
                 ["children", "prevention"])]),

    city("Sydney", "Australia", "Oceania", 5300000, "English; Arabic; Mandarin",
         "hostage sieges, churches, social cohesion",
         [incident(2014,
                   "In December 2014 a gunman took 18 hostages in the Lindt café in Martin Place; two "
                   "hostages died. He displayed an Islamic flag.",
                   ["hostage", "shooting"], ["shop", "public_space"], ["jihadist"], []),
          incident(2024,
                   "In April 2024 a teenager stabbed a bishop during a service at a church in Wakeley "
                   "that was being livestreamed. A crowd gathered outside and rioted, injuring police.",
                   ["blade"], ["church"], ["jihadist"], ["livestream", "riots"])],
         [lesson("Flowers in Martin Place", "First week", "memorial",
                 "A field of flowers grew; #illridewithyou reassured Muslim commuters.",
                 ["vigil", "backlash"]),
          lesson("Calming a crowd outside the church", "First 24 hours", "public order",
                 "Church leaders appealed for calm, online and in person.",
                 ["riots", "community_dialogue", "livestream"])]),

    city("Melbourne", "Australia", "Oceania", 5000000, "English; Greek; Vietnamese",
         "pedestrian malls",
         [incident(2017,
                   "In January 2017 a man drove his car into pedestrians in Bourke Street Mall, killing "
                   "six. He was drug-affected and mentally unwell; no terrorist motive.",
                   ["ramming"], ["public_space"], ["unclear"], []),
          incident(2018,
                   "In November 2018 an IS-inspired man stabbed three people in Bourke Street, killing "
                   "the owner of a popular café.",
                   ["blade"], ["public_space"], ["jihadist"], [])],
         [lesson("A permanent memorial", "Long term", "memorial",
                 "The Bourke Street memorial was designed with families.",
                 ["memorial", "anniversary"])]),

    city("Auckland", "New Zealand", "Oceania", 1700000, "English; Maori; Samoan; Mandarin",
         "supermarkets",
         [incident(2021,
                   "In September 2021 a man inspired by ISIS stabbed shoppers at a Countdown "
                   "supermarket in LynnMall; seven were injured.",
                   ["blade"], ["shop"], ["jihadist"], ["backlash"])],
         [lesson("Sri Lankan community reassured", "First week", "community cohesion",
                 "We met community leaders so that no group was blamed.",
                 ["backlash", "community_dialogue"])]),

    city("Poway", "United States", "North America", 49000, "English",
         "synagogue security",
         [incident(2019,
                   "On the last day of Passover 2019 a gunman opened fire at the Chabad of Poway "
                   "synagogue, killing one woman; he had published an antisemitic manifesto.",
                   ["shooting"], ["synagogue"], ["antisemitic", "far_right"], [])],
         [lesson("Armed guards debate", "Preparing to respond", "places of worship",
                 "We funded security assessments for all houses of worship.",
                 ["security_places_of_worship"])]),

    city("Boston", "United States", "North America", 650000, "English",
         "marathons, victims fund",
         [incident(2013,
                   "On 15 April 2013 two pressure-cooker bombs exploded near the finish line of the "
                   "Boston Marathon, killing three and injuring hundreds. The brothers were motivated "
                   "by radical Islamist beliefs.",
                   ["bombing"], ["public_event"], ["jihadist"], ["misinformation", "foreign_victims"])],
         [lesson("The One Fund Boston", "First months", "victims fund",
                 "Paid $61 million in 75 days with a simple formula.",
                 ["victims_fund", "donations_volunteers"]),
          lesson("Online sleuths named the wrong men", "First week", "misinformation",
                 "Crowd-sourced investigations named innocent people.", ["misinformation"])]),

    city("New Orleans", "United States", "", 364000, "English",
         "tourism, nightlife, parades",
         [incident(2025,
                   "In the early hours of 1 January 2025 a man flying an ISIS flag drove a pickup truck "
                   "into New Year revellers on Bourbon Street, killing 14.",
                   ["ramming"], ["public_event", "nightlife"], ["jihadist"], [])],
         [lesson("Sugar Bowl the next day", "First week", "events",
                 "Deciding whether to hold major events after an attack.", ["community_dialogue"])]),

    city("Charlottesville", "United States", "North America", 46000, "English",
         "protest management, white supremacy",
         [incident(2017,
                   "On 12 August 2017, after the 'Unite the Right' rally, a neo-Nazi drove his car into "
                   "counter-protesters, killing Heather Heyer and injuring 35.",
                   ["ramming"], ["protest"], ["far_right"], ["trial"])],
         [lesson("Permits and rallies", "Preparing to respond", "protests",
                 "An independent review criticised police planning.", ["prevention"])]),

    city("Oklahoma City", "United States", "North America", 700000, "English",
         "anti-government extremism, memorials",
         [incident(1995,
                   "On 19 April 1995 an anti-government extremist detonated a truck bomb at the Alfred "
                   "P. Murrah Federal Building, killing 168 people including 19 children in a daycare.",
                   ["bombing"], ["government"], ["anti_government"], [])],
         [lesson("The memorial process", "Long term", "memorial",
                 "Families, survivors and rescuers chose the memorial design together.",
                 ["memorial", "anniversary", "family_contact"])]),

    city("Waukesha", "United States", "", 71000, "English",
         "parades",
         [incident(2021,
                   "In November 2021 a man fleeing a domestic dispute drove an SUV through the "
                   "Christmas parade, killing six, including a child. No political motive.",
                   ["ramming"], ["public_event"], ["unclear"], [])],
         [lesson("Parade safety", "Preparing to respond", "events",
                 "We now block parade routes with vehicles.", ["prevention"])]),

    city("Allen", "United States", "North America", 105000, "English",
         "shopping malls",
         [incident(2023,
                   "In May 2023 a gunman with neo-Nazi views killed eight people at the Allen Premium "
                   "Outlets mall, many of them Asian or Hispanic.",
                   ["shooting"], ["shop"], ["far_right"], [])],
         [lesson("A multilingual family center", "First 24 hours", "victim support",
                 "Families speaking Korean, Telugu and Spanish needed interpreters.",
                 ["family_contact", "foreign_victims"])]),

    city("Aracruz", "Brazil", "Latin America", 102000, "Portuguese",
         "escolas, extremismo de direita",
         [incident(2022,
                   "Em novembro de 2022 um adolescente com símbolo nazista atacou a tiros duas escolas, "
                   "matando quatro pessoas, entre professoras e uma aluna.",
                   ["shooting"], ["school"], ["far_right"], [])],
         [lesson("Apoio psicológico nas escolas", "First months", "escolas",
                 "Equipes de psicólogos acompanharam alunos e professoras.",
                 ["children", "psychosocial"])]),

    city("Blumenau", "Brazil", "Americas", 361000, "Portuguese; German",
         "creches, segurança escolar",
         [incident(2023,
                   "Em abril de 2023 um homem invadiu uma creche com uma machadinha e matou quatro "
                   "crianças. Depois, boatos de novos ataques nas redes sociais levaram pais a retirar "
                   "os filhos das escolas.",
                   ["blade"], ["school"], ["unclear"], ["misinformation"])],
         [lesson("Boatos nas redes", "First week", "comunicação",
                 "Criamos um canal oficial para desmentir ameaças falsas.", ["misinformation"])]),

    city("Buenos Aires", "Argentina", "Latin America", 3120000, "Spanish",
         "Jewish community, justice for victims",
         [incident(1994,
                   "El 18 de julio de 1994 un coche bomba destruyó la sede de la AMIA, la mutual "
                   "judía, matando a 85 personas.",
                   ["bombing"], ["synagogue"], ["antisemitic"], ["trial"])],
         [lesson("Treinta años sin justicia", "Long term", "justice",
                 "Every 18 July the city supports the commemoration.",
                 ["anniversary", "memorial", "trial"])]),

    city("Djerba", "Tunisia", "Middle East and North Africa", 164000, "Arabic; French",
         "Jewish pilgrimage",
         [incident(2023,
                   "En mai 2023, un gendarme a ouvert le feu près de la synagogue de la Ghriba pendant "
                   "le pèlerinage, tuant deux pèlerins et trois agents.",
                   ["shooting"], ["synagogue"], ["antisemitic"], ["foreign_victims"])],
         [lesson("Pilgrims from abroad", "First week", "consular",
                 "Pilgrims from France and Israel needed consular help.", ["foreign_victims"])]),

    city("Gdańsk", "Poland", "Central Europe", 486000, "Polish",
         "public events, politicians",
         [incident(2019,
                   "13 stycznia 2019 r. podczas finału Wielkiej Orkiestry Świątecznej Pomocy napastnik "
                   "wszedł na scenę i ugodził nożem prezydenta miasta Pawła Adamowicza, który zmarł. "
                   "Sprawca działał z osobistej urazy; sąd uznał jego ograniczoną poczytalność.",
                   ["blade"], ["politician", "public_event"], ["unclear"], ["online_hate"])],
         [lesson("Hate speech against the mayor", "Long term", "hate speech",
                 "A campaign against hate speech followed the murder.",
                 ["online_hate", "prevention", "vigil"])]),

    city("Lisbon", "Portugal", "Europe", 545000, "Portuguese",
         "faith communities",
         [incident(2023,
                   "Em março de 2023 um refugiado afegão esfaqueou mortalmente duas mulheres no "
                   "Centro Ismaili. A polícia afastou terrorismo; o homem tinha problemas psiquiátricos.",
                   ["blade"], ["mosque"], ["unclear"], [])],
         [lesson("Refugees are not suspects", "First week", "community cohesion",
                 "Leaders spoke together so refugees would not be blamed.", ["backlash"])]),

    city("Macerata", "Italy", "Europe", 41000, "Italian",
         "racism, migrants",
         [incident(2018,
                   "Il 3 febbraio 2018 un militante di estrema destra ha sparato dalla sua auto contro "
                   "migranti africani per le strade della città, ferendone sei. Voleva vendicare "
                   "l'omicidio di una ragazza.",
                   ["shooting"], ["migrants", "public_space"], ["far_right"], ["backlash"])],
         [lesson("Una manifestazione antirazzista", "First week", "coesione",
                 "A large anti-racist march took place despite tensions.",
                 ["vigil", "community_dialogue"])]),

    city("Florence", "Italy", "Southern Europe", 360000, "Italian",
         "Senegalese community",
         [incident(2011,
                   "Il 13 dicembre 2011 un simpatizzante dell'estrema destra ha ucciso due venditori "
                   "ambulanti senegalesi nei mercati di piazza Dalmazia e San Lorenzo.",
                   ["shooting"], ["migrants", "shop"], ["far_right"], [])],
         [lesson("Repatriation of the victims", "First week", "consular",
                 "The city paid for repatriating the bodies to Senegal.", ["foreign_victims"])]),

    city("Keratsini-Drapetsona", "Greece", "Europe", 92000, "Greek",
         "anti-fascism, youth",
         [incident(2013,
                   "Τον Σεπτέμβριο του 2013 μέλος της Χρυσής Αυγής μαχαίρωσε θανάσιμα τον αντιφασίστα "
                   "ράπερ Παύλο Φύσσα στο Κερατσίνι.",
                   ["blade"], ["public_space"], ["far_right"], ["trial"])],
         [lesson("The trial of Golden Dawn", "Long term", "justice",
                 "The trial lasted five years and ended with a verdict against the party's leaders.",
                 ["trial", "anniversary"])]),

    city("Annecy", "France", "Europe", 131000, "French",
         "children, parks",
         [incident(2023,
                   "Le 8 juin 2023, un réfugié syrien a attaqué au couteau de jeunes enfants dans une "
                   "aire de jeux au bord du lac. Aucune motivation terroriste n'a été retenue.",
                   ["blade"], ["school", "public_space"], ["unclear"], ["backlash", "misinformation"])],
         [lesson("The backpack hero", "First week", "communications",
                 "A passer-by chased the attacker; we avoided exploiting the attack politically.",
                 ["backlash", "media_pressure"])]),

    city("Saint-Étienne-du-Rouvray", "France", "", 29000, "French",
         "interfaith relations",
         [incident(2016,
                   "Le 26 juillet 2016, deux djihadistes ont pris en otage des fidèles pendant la messe "
                   "et égorgé le père Jacques Hamel.",
                   ["blade", "hostage"], ["church"], ["jihadist"], [])],
         [lesson("Muslims at mass", "First week", "interfaith",
                 "Muslims attended mass in solidarity the following Sunday.",
                 ["community_dialogue", "vigil"])]),

    city("Toulouse", "France", "Europe", 504000, "French",
         "Jewish schools, military",
         [incident(2012,
                   "En mars 2012, un djihadiste a tué trois militaires puis trois enfants et un "
                   "enseignant devant l'école juive Ozar Hatorah.",
                   ["shooting"], ["school", "synagogue", "police_military"],
                   ["jihadist", "antisemitic"], [])],
         [lesson("Protecting Jewish schools", "Preparing to respond", "security",
                 "Permanent protection of Jewish schools.", ["security_places_of_worship"])]),
]
