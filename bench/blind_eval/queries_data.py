"""The queries of the blind evaluation set: a new incident as an official would describe it.

Each query has coded facts: `incidents` (one or two attacks, each with kind/target/motive lists; an
empty list means the text does not say) and `needs` (response needs the text asks about).  The codes
are those of facts.json.  Categories: short (4-10 words), long (150-250 noisy words), need (a response
need rather than an attack), negation ("not terrorism", "no ideological motive"), mixed (two attacks
in one text), plain (an ordinary one-paragraph description).
"""


def attack(kind=(), target=(), motive=()):
    return {"kind": list(kind), "target": list(target), "motive": list(motive)}


def query(qid, language, category, text, incidents, needs=()):
    return {"id": qid, "language": language, "category": category, "text": " ".join(text.split()),
            "incidents": incidents, "needs": list(needs)}


QUERIES = [
    # --- English --------------------------------------------------------------------------------
    query("en-01", "en", "short", "Stabbing at mosque during Friday prayers, far-right attacker",
          [attack(["blade"], ["mosque"], ["far_right", "anti_muslim"])]),
    query("en-02", "en", "short", "gunman opened fire in synagogue on the Sabbath",
          [attack(["shooting"], ["synagogue"], ["antisemitic"])]),
    query("en-03", "en", "short", "truck ploughed into Christmas market crowd, IS claimed it",
          [attack(["ramming"], ["christmas_market"], ["jihadist"])]),
    query("en-04", "en", "long", """
          Briefing note for the mayor's office, Sunday morning. Just after 1 a.m. a man entered a gay
          bar on Harbour Street, where around 150 people were celebrating the last night of our Pride
          weekend, and started shooting with a semi-automatic rifle. Two regulars and the bartender
          managed to disarm him within about two minutes, but four people are dead and eighteen were
          taken to the General and St Mary's. Police have searched his flat; his social media accounts
          are full of posts calling transgender people groomers and calling for drag shows to be
          banned. Counter-terrorism officers are now involved. The council meeting scheduled for
          Monday on the harbour redevelopment has been postponed, and the weather forecast for this
          evening is dry, which matters because community organisations want to hold a candlelight
          vigil at the bandstand. National and international media are already camped outside the
          venue, and some are approaching survivors at the hospital. We need advice on how to support
          the LGBTQ community, how to handle the vigil and the press, and whether to let the closing
          Pride events go ahead next weekend.
          """,
          [attack(["shooting"], ["lgbtq_venue", "nightlife"], ["anti_lgbtq"])],
          ["vigil", "media_pressure"]),
    query("en-05", "en", "long", """
          Situation report from the city's emergency coordination centre. Yesterday at 22:31, as a
          pop concert was ending at the indoor arena next to the central station, a man detonated a
          home-made explosive device packed with nails in the foyer where parents were waiting to
          collect their children. Nineteen people were killed, the youngest aged eight, and more than
          a hundred were injured, many of them teenage girls. The national police say the bomber had
          travelled to Syria and was inspired by the Islamic State; the threat level has been raised
          and soldiers are patrolling the station. Hotels and taxi drivers offered free rooms and rides
          overnight, which was wonderful but nobody knows where all the volunteers are now. Parents
          are still looking for missing children, and calls are coming to the town hall, the police
          and the hospitals with no single list. A local newspaper has launched an appeal and already
          raised two million; people ask us how the money will reach the families. Schools reopen
          tomorrow and many pupils were at the concert.
          """,
          [attack(["bombing"], ["concert"], ["jihadist"])],
          ["victims_fund", "family_contact", "children", "donations_volunteers"]),
    query("en-06", "en", "need", """
          Rumours on social media that the attacker was a Muslim asylum seeker led to a riot outside
          our mosque last night. How do we counter the misinformation and protect the community?
          """,
          [attack()], ["misinformation", "riots", "backlash"]),
    query("en-07", "en", "need", """
          The gunman filmed and livestreamed the attack, and the video is circulating among
          schoolchildren. What did other cities do?
          """,
          [attack(["shooting"])], ["livestream", "children"]),
    query("en-08", "en", "need", """
          Donations are pouring in from abroad and we are setting up a victims' fund. How do we decide
          who gets what, and fast?
          """,
          [attack()], ["victims_fund", "donations_volunteers"]),
    query("en-09", "en", "need", """
          Families of victims from five countries keep calling different offices. We need a single
          point of contact for the bereaved and the embassies.
          """,
          [attack()], ["family_contact", "foreign_victims"]),
    query("en-10", "en", "negation", """
          A man drove his car into shoppers on the high street, killing three. Police say it is not
          a terrorist incident; he has a long history of mental illness.
          """,
          [attack(["ramming"], ["public_space"], ["unclear"])]),
    query("en-11", "en", "negation", """
          Knife attack outside a primary school, three children injured. No ideological motive
          according to police, but far-right groups are blaming migrants online and calling for a
          protest.
          """,
          [attack(["blade"], ["school"], ["unclear"])], ["misinformation", "backlash"]),
    query("en-12", "en", "mixed", """
          Our city has been hit twice: in 2017 an Islamist drove a van into pedestrians on a bridge
          and then stabbed people in bars, and in 2019 a man released from prison for terrorism
          stabbed participants at a rehabilitation conference.
          """,
          [attack(["ramming"], ["public_space"], ["jihadist"]),
           attack(["blade"], ["public_event", "nightlife"], ["jihadist"])]),
    query("en-13", "en", "mixed", """
          Last year a white supremacist shot Black shoppers at a grocery store; this month someone
          set fire to the mosque during the night, leaving anti-Muslim graffiti.
          """,
          [attack(["shooting"], ["shop"], ["far_right"]),
           attack(["arson"], ["mosque"], ["anti_muslim"])]),
    query("en-14", "en", "plain", """
          Our member of parliament was stabbed to death at her weekly constituency meeting in a church
          hall by a young man radicalised online by jihadist propaganda.
          """,
          [attack(["blade"], ["politician"], ["jihadist"])]),
    query("en-15", "en", "plain", """
          A militia sympathiser detonated a car bomb outside the federal courthouse; he had written
          about his hostility to the federal government and law enforcement.
          """,
          [attack(["bombing"], ["government"], ["anti_government"])]),
    query("en-16", "en", "short", "incel shooting spree targeting women in the street",
          [attack(["shooting"], ["public_space"], ["misogynist"])]),

    # --- French ---------------------------------------------------------------------------------
    query("fr-01", "fr", "short", "Attaque au couteau dans une église pendant la messe",
          [attack(["blade"], ["church"])]),
    query("fr-02", "fr", "long", """
          Note à l'attention du cabinet du maire. Vendredi soir, vers 21 h 40, trois hommes armés de
          fusils d'assaut ont ouvert le feu sur les terrasses de deux cafés du quartier de la gare puis
          sont entrés dans la salle de concert municipale où se produisait un groupe de rock devant
          près de 900 spectateurs. Ils ont tiré dans la foule et retenu une vingtaine de personnes
          pendant deux heures avant l'assaut des forces de l'ordre. Le bilan provisoire est de 41
          morts et de plus de 90 blessés. L'attaque a été revendiquée dans la nuit par l'organisation
          État islamique. Les hôpitaux du département sont saturés, la cellule d'information du
          public reçoit des milliers d'appels et des familles errent d'un hôpital à l'autre. Les
          écoles resteront fermées lundi. Des habitants déposent des fleurs et des bougies devant la
          salle ; la question d'un lieu de recueillement et de la conservation des messages se pose
          déjà. Nous souhaitons échanger avec des villes ayant vécu une attaque comparable sur
          l'accompagnement psychologique des survivants et l'organisation d'un hommage.
          """,
          [attack(["shooting", "hostage"], ["concert", "nightlife"], ["jihadist"])],
          ["psychosocial", "memorial", "vigil", "family_contact"]),
    query("fr-03", "fr", "need", """
          Après l'attentat, des rumeurs sur les réseaux sociaux accusent la communauté musulmane et
          la mosquée a été couverte de tags injurieux. Comment apaiser la situation ?
          """,
          [attack()], ["misinformation", "backlash"]),
    query("fr-04", "fr", "negation", """
          Un homme a foncé en voiture sur la terrasse d'un café. Selon le parquet, ce n'est pas un
          acte terroriste : il souffrait de troubles psychiatriques.
          """,
          [attack(["ramming"], ["public_space", "nightlife"], ["unclear"])]),
    query("fr-05", "fr", "plain", """
          Un enseignant a été tué au couteau devant son collège par un jeune radicalisé, après une
          campagne de haine en ligne lancée par un parent d'élève.
          """,
          [attack(["blade"], ["school"], ["jihadist"])], ["online_hate", "misinformation"]),

    # --- German ---------------------------------------------------------------------------------
    query("de-01", "de", "short", "Schüsse vor Synagoge an Jom Kippur, Täter rechtsextrem",
          [attack(["shooting"], ["synagogue"], ["far_right", "antisemitic"])]),
    query("de-02", "de", "long", """
          Lagebild des Krisenstabs, Stand Samstag 10 Uhr. Am Freitagabend gegen 21:40 Uhr hat ein
          Mann auf dem Marktplatz während unseres Stadtfestes wahllos auf Besucher eingestochen. Drei
          Menschen sind gestorben, acht wurden zum Teil schwer verletzt. Der mutmaßliche Täter, ein
          26-jähriger Asylbewerber aus Syrien, stellte sich am Morgen der Polizei. Die
          Terrororganisation Islamischer Staat hat die Tat über ihr Sprachrohr für sich reklamiert,
          die Bundesanwaltschaft ermittelt. Das Stadtfest wurde abgebrochen, die Bühnen werden
          abgebaut. Bereits in der Nacht kursierten in Telegram-Gruppen Aufrufe zu einer Demonstration
          vor der Flüchtlingsunterkunft; für Sonntag ist eine Kundgebung einer rechten Partei
          angemeldet, gleichzeitig plant ein Bündnis eine Mahnwache. Syrische Familien berichten, dass
          sie auf der Straße beschimpft werden, und Moscheegemeinden bitten um Schutz. Bundes- und
          Landespolitiker haben sich zu Besuchen angekündigt, die Debatte über Abschiebungen ist
          voll entbrannt. Wir suchen Austausch mit Städten, die ähnliche Anschläge auf Feste erlebt
          haben, insbesondere zur Trauerfeier, zum Schutz der Geflüchteten und zur Kommunikation.
          """,
          [attack(["blade"], ["public_event"], ["jihadist"])],
          ["backlash", "vigil", "misinformation", "security_places_of_worship"]),
    query("de-03", "de", "need", """
          Angehörige beklagen, dass sie von Behörde zu Behörde geschickt werden. Wir brauchen eine
          zentrale Ansprechperson für die Familien der Opfer.
          """,
          [attack()], ["family_contact"]),
    query("de-04", "de", "negation", """
          Amokfahrt in der Fußgängerzone mit fünf Toten: kein politisches Motiv, der Fahrer ist
          psychisch krank.
          """,
          [attack(["ramming"], ["public_space"], ["unclear"])]),
    query("de-05", "de", "mixed", """
          Unsere Stadt hat zwei Anschläge erlebt: 2016 fuhr ein Islamist mit einem Lkw in den
          Weihnachtsmarkt, 2020 erschoss ein Rassist junge Menschen in zwei Shisha-Bars.
          """,
          [attack(["ramming"], ["christmas_market"], ["jihadist"]),
           attack(["shooting"], ["nightlife"], ["far_right"])]),

    # --- Spanish --------------------------------------------------------------------------------
    query("es-01", "es", "short", "Atropello masivo en el paseo marítimo, reivindicado por el Estado Islámico",
          [attack(["ramming"], ["public_space"], ["jihadist"])]),
    query("es-02", "es", "need", """
          Hay víctimas de doce nacionalidades y sus familias llegan desde el extranjero; necesitamos
          coordinar consulados, intérpretes y un punto único de información.
          """,
          [attack()], ["foreign_victims", "family_contact"]),
    query("es-03", "es", "long", """
          Informe para la junta de gobierno municipal. Esta mañana, a las 7:40, en plena hora punta,
          estallaron tres artefactos explosivos en dos trenes de cercanías que entraban en la estación
          central. Hay 58 fallecidos confirmados y más de 300 heridos atendidos en seis hospitales;
          entre las víctimas hay estudiantes y trabajadores de varias nacionalidades. Durante las
          primeras horas, portavoces del gobierno regional atribuyeron el atentado a un grupo
          separatista, pero la policía ha encontrado una furgoneta con detonadores y una grabación en
          árabe, y ahora investiga a una célula yihadista. Esta contradicción ha provocado indignación
          y desconfianza en la ciudadanía y en los medios. El servicio de metro funciona parcialmente,
          los centros de donación de sangre están desbordados y hemos habilitado el pabellón de
          deportes como centro de atención a familiares. Las asociaciones de vecinos piden una
          concentración silenciosa a mediodía. Solicitamos contacto con ciudades que hayan sufrido
          atentados en el transporte público, sobre todo en la comunicación de los primeros días y en
          el apoyo a largo plazo a las víctimas.
          """,
          [attack(["bombing"], ["transport"], ["jihadist"])],
          ["misinformation", "family_contact", "vigil", "donations_volunteers"]),
    query("es-04", "es", "plain", """
          Un hombre armado con un machete atacó a los fieles en dos iglesias y mató al sacristán; la
          fiscalía lo investiga como terrorismo yihadista.
          """,
          [attack(["blade"], ["church"], ["jihadist"])]),

    # --- Norwegian ------------------------------------------------------------------------------
    query("no-01", "no", "short", "Skyting mot moské, høyreekstrem gjerningsmann",
          [attack(["shooting"], ["mosque"], ["far_right", "anti_muslim"])]),
    query("no-02", "no", "need", """
          Falske rykter om gjerningspersonens bakgrunn sprer seg i sosiale medier, og vi frykter uro
          og angrep mot innvandrere.
          """,
          [attack()], ["misinformation", "backlash", "riots"]),
    query("no-03", "no", "negation", """
          Knivangrep på et kjøpesenter. Politiet sier at det ikke er terror; mannen er psykisk syk.
          """,
          [attack(["blade"], ["shop"], ["unclear"])]),
    query("no-04", "no", "plain", """
          En islamist skjøt mot gjester utenfor en homobar under Pride-helgen, og paraden ble avlyst.
          """,
          [attack(["shooting"], ["lgbtq_venue", "nightlife"], ["jihadist"])]),

    # --- Italian --------------------------------------------------------------------------------
    query("it-01", "it", "short", "Sparatoria contro migranti africani per strada, movente razzista",
          [attack(["shooting"], ["migrants", "public_space"], ["far_right"])]),
    query("it-02", "it", "need", """
          Dopo l'attentato servono un fondo per le vittime e regole chiare per distribuire le
          donazioni arrivate da tutta Italia.
          """,
          [attack()], ["victims_fund", "donations_volunteers"]),
    query("it-03", "it", "long", """
          Nota per il sindaco e la giunta. Ieri sera, durante il concerto gratuito in piazza per la
          festa del patrono, un ordigno nascosto in uno zaino è esploso vicino al palco. Le vittime
          accertate sono 11 e i feriti 64, tra cui numerosi turisti stranieri provenienti da Germania,
          Francia e Stati Uniti. Secondo la procura antiterrorismo l'attentatore, morto
          nell'esplosione, aveva giurato fedeltà allo Stato islamico in un video diffuso online. Gli
          alberghi del centro sono pieni di parenti arrivati dall'estero che non parlano italiano e
          cercano informazioni sui loro cari; i consolati chiedono un interlocutore unico. Il pronto
          soccorso ha chiesto donatori di sangue e la protezione civile coordina i volontari. Molti
          giovani presenti al concerto hanno bisogno di supporto psicologico e le scuole chiedono
          indicazioni. Si discute se annullare gli altri eventi estivi e come organizzare una
          cerimonia di commemorazione. Vorremmo confrontarci con città che hanno vissuto attentati
          durante concerti o feste pubbliche con vittime straniere.
          """,
          [attack(["bombing"], ["concert", "public_event"], ["jihadist"])],
          ["foreign_victims", "family_contact", "psychosocial", "memorial"]),
    query("it-04", "it", "plain", """
          Un uomo è salito sul palco durante un evento di beneficenza e ha accoltellato il sindaco
          davanti a centinaia di persone.
          """,
          [attack(["blade"], ["politician", "public_event"])]),

    # --- Dutch ----------------------------------------------------------------------------------
    query("nl-01", "nl", "short", "Schietpartij in een tram, jihadistisch motief",
          [attack(["shooting"], ["transport"], ["jihadist"])]),
    query("nl-02", "nl", "need", """
          Na de aanslag werden moskeeën beklad en in brand gestoken. Hoe beschermen we de
          moslimgemeenschap tegen vergeldingsacties?
          """,
          [attack()], ["backlash", "security_places_of_worship"]),
    query("nl-03", "nl", "negation", """
          Een student schoot in een ziekenhuis en een collegezaal; volgens de politie is er geen
          terroristisch of ideologisch motief.
          """,
          [attack(["shooting"], ["hospital", "university"], ["unclear"])]),
    query("nl-04", "nl", "plain", """
          Een filmmaker en columnist is op straat vermoord door een radicale moslim vanwege zijn
          kritiek op de islam.
          """,
          [attack(["shooting", "blade"], ["media"], ["jihadist"])]),

    # --- Swedish --------------------------------------------------------------------------------
    query("sv-01", "sv", "short", "Lastbil körde in i folkmassa på gågata, IS-sympatisör",
          [attack(["ramming"], ["public_space"], ["jihadist"])]),
    query("sv-02", "sv", "need", """
          Många av offren har utländsk bakgrund och känner sig utpekade. Vi behöver krisstöd på
          flera språk.
          """,
          [attack()], ["backlash", "psychosocial"]),
    query("sv-03", "sv", "mixed", """
          Vår stad har drabbats två gånger: en rasistisk skytt sköt mot invandrare under flera år,
          och senare attackerade en man elever med svärd på en skola.
          """,
          [attack(["shooting"], ["migrants"], ["far_right"]),
           attack(["blade"], ["school"])]),
    query("sv-04", "sv", "plain", """
          En maskerad man med svärd attackerade elever och lärare på en skola; han valde sina offer
          efter hudfärg.
          """,
          [attack(["blade"], ["school"], ["far_right"])]),

    # --- Danish ---------------------------------------------------------------------------------
    query("da-01", "da", "short", "Skud mod synagoge og kulturhus, islamistisk motiv",
          [attack(["shooting"], ["synagogue", "media"], ["jihadist", "antisemitic"])]),
    query("da-02", "da", "need", """
          Mange af ofrene er teenagere. Vi har brug for krisehjælp til unge og til skolerne.
          """,
          [attack()], ["children", "psychosocial"]),
    query("da-03", "da", "plain", """
          En psykisk syg mand skød tre personer i et storcenter. Politiet udelukker terror.
          """,
          [attack(["shooting"], ["shop"], ["unclear"])]),

    # --- Portuguese -----------------------------------------------------------------------------
    query("pt-01", "pt", "short", "Ataque a tiros em escola, atirador com símbolo nazista",
          [attack(["shooting"], ["school"], ["far_right"])]),
    query("pt-02", "pt", "need", """
          Boatos nas redes sociais sobre novos ataques às escolas deixam os pais em pânico.
          """,
          [attack()], ["misinformation", "children"]),
    query("pt-03", "pt", "negation", """
          Um homem esfaqueou duas mulheres num centro religioso muçulmano. Não foi terrorismo: tinha
          problemas psiquiátricos.
          """,
          [attack(["blade"], ["mosque"], ["unclear"])]),
    query("pt-04", "pt", "long", """
          Relatório preliminar do gabinete de crise da prefeitura. Na madrugada de 1 de janeiro, por
          volta das 3h15, um homem conduziu uma caminhonete alugada a alta velocidade contra a multidão
          que celebrava o Ano Novo na rua dos bares do centro histórico, e depois disparou contra a
          polícia. Morreram 12 pessoas e há 35 feridos, entre eles turistas da Argentina, do Reino
          Unido e de Portugal. No veículo foi encontrada uma bandeira do Estado Islâmico e a polícia
          federal trata o caso como terrorismo. Os hotéis estão cheios, muitas famílias estrangeiras
          procuram notícias e os consulados pedem informações. Comerciantes da rua querem saber quando
          poderão reabrir, e os organizadores do carnaval, daqui a seis semanas, perguntam se o
          desfile deve acontecer. Circulam nas redes vídeos do atropelamento e mensagens falsas sobre
          um segundo atirador. Gostaríamos de falar com cidades que viveram atropelamentos em festas
          ou ruas turísticas, sobretudo sobre a segurança de grandes eventos e o apoio às vítimas
          estrangeiras.
          """,
          [attack(["ramming"], ["public_event", "nightlife"], ["jihadist"])],
          ["foreign_victims", "misinformation", "prevention"]),

    # --- Polish ---------------------------------------------------------------------------------
    query("pl-01", "pl", "short", "Atak nożem na prezydenta miasta podczas koncertu charytatywnego",
          [attack(["blade"], ["politician", "public_event"])]),
    query("pl-02", "pl", "need", """
          Po ataku w internecie szerzy się mowa nienawiści i dezinformacja na temat sprawcy.
          """,
          [attack()], ["online_hate", "misinformation"]),
    query("pl-03", "pl", "plain", """
          Strzelanina przed klubem LGBT. Sprawca opublikował wcześniej manifest nienawiści wobec osób
          homoseksualnych.
          """,
          [attack(["shooting"], ["lgbtq_venue", "nightlife"], ["anti_lgbtq"])]),

    # --- Turkish --------------------------------------------------------------------------------
    query("tr-01", "tr", "short", "Barış mitinginde canlı bomba saldırısı",
          [attack(["bombing"], ["protest"])]),
    query("tr-02", "tr", "need", """
          Yabancı uyruklu kurbanların ailelerine ve büyükelçiliklere tek bir irtibat noktası lazım.
          """,
          [attack()], ["foreign_victims", "family_contact"]),
    query("tr-03", "tr", "plain", """
          Yılbaşı gecesi bir gece kulübüne silahlı saldırı düzenlendi; saldırgan IŞİD üyesiydi.
          """,
          [attack(["shooting"], ["nightlife"], ["jihadist"])]),

    # --- Arabic ---------------------------------------------------------------------------------
    query("ar-01", "ar", "short", "هجوم مسلح على متحف ومقتل سياح أجانب",
          [attack(["shooting"], ["tourist_site"])], ["foreign_victims"]),
    query("ar-02", "ar", "need", """
          بعد الهجوم انتشرت شائعات على وسائل التواصل الاجتماعي عن أصل المهاجم، وتعرضت محلات
          ومساجد المسلمين لاعتداءات.
          """,
          [attack()], ["misinformation", "backlash", "riots"]),
    query("ar-03", "ar", "plain", """
          تفجير انتحاري في كنيسة أثناء قداس عيد الفصح أسفر عن مقتل عشرات المصلين.
          """,
          [attack(["bombing"], ["church"])]),

    # --- Finnish, Greek, Czech ------------------------------------------------------------------
    query("fi-01", "fi", "short", "Puukotus kauppatorilla, tekijä radikalisoitunut islamisti",
          [attack(["blade"], ["public_space"], ["jihadist"])]),
    query("fi-02", "fi", "plain", """
          Aikuisoppilaitoksessa tapahtui ammuskelu, jossa kuoli kymmenen ihmistä. Motiivi on
          epäselvä.
          """,
          [attack(["shooting"], ["school"], ["unclear"])]),
    query("el-01", "el", "plain", """
          Μέλος ακροδεξιάς οργάνωσης μαχαίρωσε θανάσιμα έναν αντιφασίστα μουσικό στον δρόμο.
          """,
          [attack(["blade"], ["public_space"], ["far_right"])]),
    query("cs-01", "cs", "short", "Střelba na univerzitě, bez ideologického motivu",
          [attack(["shooting"], ["university"], ["unclear"])]),
]
