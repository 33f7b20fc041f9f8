import { describe, expect, it } from "vitest";
import type { Triage } from "../../src/triage/triage.js";
import { realContent } from "../helpers/content.js";

// Phrase families of data/lexicon/urgent.yaml, read without the learned model (as triage.test.ts does): each danger
// case is missed, and each calm case is a false alarm, without the terms, combinations and `unless` lists it pins.
// Written for these tests, in every language the family is said in; not copied from the labelled files.
let lexiconOnly: Triage | undefined;
const triage = () => (lexiconOnly ??= realContent().content.triage.withoutModel());

const danger: Record<string, string[]> = {
  "suicidal thoughts": [
    "depuis des semaines j'ai des idées noires et je ne mange plus",
    "je pense à en finir, je n'en peux plus",
    "mon cousin dit qu'il veut plus vivre",
    "I have dark thoughts every night since my brother died",
    "sometimes I feel it is better to die",
    "I don't want to see tomorrow",
    "tengo ideas negras desde hace meses",
    "tenho pensamentos negros todos os dias",
    "عندي أفكار سوداء من شحال هادي",
    "حسن ليا نموت على هاد العيشة",
    "sahbi ma kaynoudch mn blasto w kaygoul bgha imout",
    "خايفين عليه يأذي راسو",
    "I'm scared my friend will hurt himself tonight",
  ],
  "kept in, locked in": [
    "the madam lock her inside the house and take her phone",
    "he locks her inside when he goes out",
    "le patron ferme l'atelier le soir avec nous dedans",
    "the boss closes the warehouse with us inside at night",
    "مولات الدار ما كتخلينيش نخرج من الصباح",
    "الكفيل ما كيخليهمش يخرجو من الضيعة",
    "صاحبة البيت لا تسمح لي بالخروج أبدا",
    "أختي قافلين عليها الباب من جمعة",
    "khti msdouda f dar, rajlha ma kay3tihach tilifon",
    "lmadame ma katkhllinich nkhrj mn dar",
    "su marido la encierra en casa todo el día",
    "o marido tranca-a em casa quando sai",
    "lpatron sed 3lina f lhangar b sarout",
    "الباطرون سد علينا فالكراج حتى نكملو الخدمة",
  ],
  "a passport kept, with debt or no going out": [
    "my madam keep my passport and she says I owe her 2000 euros",
    "l'homme garde nos passeports et dit qu'on doit rembourser le voyage",
    "el jefe guarda mi pasaporte y dice que tengo una deuda",
    "المدام شدات ليا الباسبور وكتقول خاصني نخلص الدين",
  ],
  "threats: kidnapping, fire, the door, following": [
    "قالولي رح يخطفوا ابني إذا ما دفعت",
    "gallo lia ghadi ykhtfo wldi",
    "they said they will burn the house if we don't pay",
    "dice que va a quemar la casa esta noche",
    "ameaçou queimar a casa com as crianças dentro",
    "il menace de brûler la maison avec nous",
    "غادي يحرقو علينا الدار هاد الليلة",
    "o meu ex está lá fora a gritar",
    "chi wa7d kaydeg 3la lbab mn nss sa3a",
    "des hommes tapent à la porte depuis une heure",
    "a man tried to pull me into a car near the market",
    "un homme nous suit chaque soir depuis le travail",
    "si je pars il va tué mon fils",
    "she say if I run she will tell the men to find me",
  ],
  "violence now": [
    "ma patronne me frappe avec un bâton",
    "rah chi nas dkhlo 3lina bzz daba",
    "ils ont brûlé nos tentes ce matin et on court",
    "some men attacked us last night and they say they will come back",
  ],
  "labour and waters": [
    "ma femme est enceinte de 9 mois et l'eau coule depuis une heure",
    "mi mujer está embarazada y está saliendo agua",
    "مرتي حاملة والما نزل دابا",
    "my wife is pregnant, since morning pain and now water is coming out",
  ],
  "a baby or child in danger": [
    "the baby does not cry and his body is very soft",
    "el bebé no llora y está azul",
    "بنتي فيها سخونة بزاف وما كتجاوبنيش",
    "weldi s5ona w bda kayrjef",
    "صاحبي بلع حبوب كتير وما عم يحكي",
    "wldi klat dwa dyal lfar",
    "tay7 lih damm mn fommo bzaf",
    "الزلمة عم بيتنفس شوية شوية",
  ],
  "unconscious, confused": [
    "mon frère est dans le coma depuis ce matin",
    "my husband is in a coma since yesterday",
    "o meu pai está em coma",
    "ختي فغيبوبة فالسبيطار",
    "mama ma b9atch kat3rfni",
    "il est diabétique et très confus depuis ce matin",
  ],
  "a minor alone, gone, or given": [
    "un garçon de 15 ans est arrivé hier, seul, il dort à la gare",
    "a girl of 14 years, no family, sleeps in the park",
    "un chico de 16 años, sin familia, duerme en la calle",
    "mon fils 13 ans est pas rentré depuis hier soir",
    "ابنتي عمرها 14 سنة ذهبت للسوق ولم ترجع",
    "I am 16 and I have nowhere to sleep",
    "kayn drari sghar mn mali kaybato kol lila f lgare routiere bo7dhom",
    "بنت خالتي عندها 15 عام وواحد الراجل بغا يتزوجها بزز",
    "rajl kaykhrjha m3a rjal kol lila",
    "rmawna f sa7ra bla lma",
    "رمونا فالصحرا بدون موية",
    "my friend is 15 and he is alone at the bus station since yesterday",
    "my neighbour is 16, she is alone in the forest near nador",
  ],
  "sexual coercion": ["lmo3allim gal lia khassk tbat m3aya ila bghiti tkhlss"],
  "locked in, the phone taken": [
    "the madam keeps her inside all day and took her phone, she wrote me from the neighbour",
    "مولات الدار كتسد عليها الباب وكتاخد ليها التيليفون",
    "lpatron kaysddha f lbit w ma kay3tihach tilifon, katsift lia b sir9a",
  ],
  "locked in from outside": [
    "le chef ferme le portail de l'extérieur chaque soir, on peut rien faire",
    "كيسدو الباب من برا كل ليلة وحنا داخل",
    "el patrón cierra la puerta desde fuera por la noche",
    "the man dey lock the gate from outside every night, we be 5 for inside",
  ],
  "poisoned after spraying": [
    "after spraying pesticide in the greenhouse my friend is dizzy and sweating a lot",
    "mon collègue a pulvérisé des pesticides ce matin, il a vertiges et vomit",
    "rchina ldwa dyal serra w daba rassi kaydor w kan3re9 bzaf",
    "depois de pulverizar agrotóxico estou com tonturas e visão turva",
  ],
  "fever or vomiting with a failing mind": [
    "ma fille a une grosse fièvre et elle dit n'importe quoi depuis ce matin",
    "my brother has high fever and he is talking nonsense",
    "خويا فيه سخانة وكيخرف من الصباح",
    "sahbi 3ndo skhana w kaykhrf, ma b9ach kay3ref 7ta wa7ed",
  ],
  "no insulin and vomiting": [
    "my father has no more insulin since two days and now he is vomiting",
    "je n'ai plus d'insuline depuis 3 jours, je vomis et j'ai la tête qui tourne",
    "الأنسولين سالات ليا هادي يومين وكنتقيا",
  ],
  "pregnancy danger signs": [
    "ma femme est enceinte de 8 mois, elle voit des points et a mal à la tête",
    "my wife is pregnant and she has blurred vision since this morning",
    "mi esposa está embarazada y ve manchas, le duele mucho la cabeza",
    "khti 7amla w lma tle3 liha, ma kaynach tomobil",
    "mrati 7amla w tle3 liha lma, 7na f douar",
  ],
  "down a well, not answering": [
    "خويا هبط للبير ومابقاش كيجاوب",
    "my friend went down into the well to fix the pump and he is not answering",
  ],
  "threat to come back": [
    "the men said they will come back tonight for my brother, we are scared",
    "ils ont frappé mon mari et ils vont revenir ce soir",
    "قالو لينا غادي يرجعو هاد الليلة، خايفين بزاف",
    "me amenazó, dice que vuelve esta noche con sus amigos",
    "eles disseram que vão voltar amanhã se não pagarmos, estamos com medo",
  ],
  "a minor crossing tonight": [
    "mon petit frère a 15 ans, il veut nager vers Ceuta cette nuit",
    "my son is 16, he says he will swim to sebta tonight with his friends",
    "wldi 3ndo 14 3am bgha y7rg l sebta had lila",
  ],
  "beaten and taken, whereabouts unknown": [
    "my husband was beaten by some men and taken, we don't know where he is",
    "ils ont tabassé mon frère et on ne sait pas où ils l'ont amené",
    "ضربوه وداوه وما عرفناش فين هو",
  ],
  "followed, still there": [
    "un type me suit depuis la gare et il est encore derrière moi",
  ],
  "kept until paying": [
    "le passeur nous garde dans un appartement, il faut payer 300 euros sinon on ne sort pas",
  ],
  "suicide said otherwise": [
    "I see no reason to continue, I am tired of everything",
    "everyone would be better off without me",
    "je pense que tout le monde serait mieux sans moi",
    "ce soir je veux finir avec tout ça",
    "ما بقاش باغي يعيش، قالها لينا البارح",
    "a veces pienso que todos estarían mejor sin mí",
  ],
  "a body in danger said otherwise": [
    "mon bébé respire très vite et ses lèvres sont bleues",
    "ولدي عم يختنق، شو نعمل",
    "sa7bi mjrou7 f rjlo w dm kaykhrj bzzf",
    "the boat is far from the coast and water is entering, my brother is inside, the battery of his phone is low",
    "الزول دا حيقتلني، أنا خايف",
    "ils ont 15 et 13 ans, on les trouve pas depuis hier soir",
  ],
  "a minor missing, phone off or gone with a grown man": [
    "ma fille de 14 ans n'est plus joignable, son téléphone ne passe plus depuis hier soir",
    "بنتي عندها 13 عام، التلفون ديالها مطفي من الصباح وما عرفنا فين هي",
    "wldi 15 3am, tilifouno mtfi mn lbare7, ma 3rfna fin mcha",
    "my son is 16, I don't know where he is since Friday",
    "ولدي عمرو 8 سنين تودر ليا فالمحطة",
    "ma nièce de 15 ans, on l'a vue à la gare avec un homme plus âgé",
    "بنت جارتنا عندها 14 عام شافوها فالمحطة مع واحد كبير عليها",
  ],
  "pay to be let out, never let out": [
    "the man says we must pay 1000 euro each before we can go out",
    "كيقولو لينا ادفعو ولا ما بتطلعو من هنا",
    "ils disent payer avant de sortir sinon rien",
    "khdama f dar, ma khrjtch mn chhrin, lbab dima m9foul",
    "I work in the house, I haven't gone out for months, the door is always locked",
    "قفل عليها الباب ومشى، ما عندها تلفون",
  ],
  "a child threatened with images": [
    "I'm 16 and he says he will post my photos if I don't come",
    "j'ai 15 ans, il menace d'envoyer les photos à mon père",
  ],
  "stroke, cold and confused, weak breath, asthma crisis": [
    "mon oncle, sa bouche est de travers depuis tout à l'heure",
    "baba fommo mayl w ma kayhdrch mzyan",
    "my father's mouth is crooked since this morning",
    "جسمو بارد وما بقاش كيهضر، ناعس فالزنقة",
    "my friend body is cold and he is talking nonsense",
    "his breathing is very weak and he is not answering",
    "elle a de l'asthme et là elle arrive plus à parler",
    "عندي الربو والبخاخ سالا، كنتنهج",
    "blood from his head after the fight",
    "wa7d tay7 3lih l7it, mazal ta7t l7jer",
    "he coughs blood since morning, plenty",
  ],
  "farewell, not wanting to wake up": [
    "I don't want to wake up tomorrow, sorry everyone",
    "ma bghitch nfi9 ghedda, kolchi sali",
    "des fois je me dis que si j'étais plus là ce serait plus simple",
    "سامحوني، قولو لماما راني كنبغيها بزاف",
    "he gave away his clothes and went to say goodbye to his friends",
  ],
  "taken pills or bleach": [
    "ختي شربت حبوب كتيرة، دايخة",
    "on arrive pas à le réveiller depuis ce matin",
    "ولدي شرب من القرعة اللي تحت الكوزينة، كنظن جافيل",
  ],
  "watched, entered at night, pulled into a car": [
    "two men are watching me from a car, it's dark here",
    "le propriétaire rentre dans notre chambre la nuit quand mon mari n'est pas là",
    "a man tried to pull her into his car near the school",
    "rah kayhddna b mouss dabba f lbarak",
  ],
  "a household product swallowed": [
    "mon fils a bu un produit de ménage, il tousse beaucoup",
    "my son drank a cleaning product and he is crying",
    "mi niño se tomó un producto de limpieza",
  ],
  "chest tightness spreading to the left arm": [
    "ضيق فالصدر ويدي اليسرى ثقيلة من نص ساعة",
    "عندي ضيق في الصدر والوجع نازل لذراعي الأيسر",
  ],
  "one arm that no longer moves": [
    "جدي ما عم يقدر يحرك ايدو اليمين من الصبح",
  ],
  "insulin run out, and confused or dizzy": [
    "ma mère n'a plus d'insuline, elle parle bizarre depuis ce matin",
    "مرات خويا سالا ليها الأنسولين وكيدور بيها الراس",
  ],
  "pregnant, waters coming now": [
    "مراتي حاملة وكينزل ليها الما من الصباح",
  ],
  "hiding from someone who is looking": [
    "khti mkhbia f chi 7anout, chi rjal kay9lbo 3liha",
    "I'm hiding inside a café, the man is still outside",
    "صاحبتي متخبية فالحمام، جوج رجال كيقلبو عليها",
  ],
  "violence at home or in the street now": [
    "جوزي عم يدق ع الباب وقفلت ع حالي بالغرفة",
    "chi wa7d kay dreb f mratou f zn9a",
    "I locked myself in the bathroom, he is smashing everything",
    "الحقوني الحقوني",
  ],
  "threats to burn people": [
    "they said they will burn us inside the tent",
    "ils ont dit qu'ils vont nous brûler dans la cabane",
  ],
  "someone walking behind": [
    "a man has been walking behind me for an hour",
  ],
  "locked in at night by the employer": [
    "lpatron kay9fel 3lina f lferma f lil",
  ],
  "women or girls sold": [
    "had nas kaybi3o lbnat f wa7d dar f casa",
  ],
  "phones and passports taken, a debt": [
    "ils ont pris nos téléphones et nos passeports, on doit rembourser la dette",
  ],
  "threats from someone who knows the house": [
    "عم يهددني وبيعرف وين ساكنة",
  ],
  "beaten, and the man says he comes back": [
    "he beat me with a belt and he say he come back",
  ],
  "\"nsali\" with tonight or despair": [
    "ma b9itch 9ader, had lila ghadi nsali",
    "عييت، اليوم غادي نسالي",
  ],
  "pills gathered or in hand": [
    "I have all the pills in my hand now",
    "jm3t dwa bzaf, ghadi nchrbo kolchi",
  ],
  "not wanting to be here any more": [
    "I dont want to be here anymore, nothing matters",
  ],
  "no point going on, tonight": [
    "ce soir je suis fatiguée de tout, ça sert à rien de continuer",
    "tired of everything, tonight I want it to stop",
  ],
  "wanting to join someone who died": [
    "depuis la mort de son mari elle dit qu'elle veut rejoindre son mari",
    "since her son died she keeps saying she wants to join her son",
  ],
  "a child drying out": [
    "الطفل عندو الإسهال وما بغاش يشرب، عينيه غارقين",
    "bébé a la diarrhée, les yeux creux, il pleure plus",
  ],
  "young children with no parent": [
    "2 drari sghar bla waldihom f lmahatta",
    "two small children sleeping at the port without their parents",
  ],
  "someone gone since yesterday, phone off": [
    "sa7bi ghbr mn lbar7 w tilifon dyalo mtfi",
    "my friend is missing since Monday and her phone is off",
  ],
  "a minor alone, said in Sudanese or Levantine words, or children left alone": [
    "عمري 16 سنة وجيت براي، ما عندي زول هنا",
    "عندي 14 سنة وأنا لحالي بالشارع",
    "في ولد صغير قاعد لحالو جنب الجامع وما حدا معو",
    "my little brother is alone at the bus station since yesterday",
    "ma petite sœur est toute seule à la gare",
    "جارتنا خلات ولادها بوحدهم فالدار",
  ],
  "threatened to be thrown into the sea": [
    "the captain said he will throw me into the sea",
    "le capitaine menace de le jeter à la mer",
    "قال ليه غادي يلوحو فالبحر",
    "dijo que lo va a tirar al mar",
    "o capitão ameaça atirá-lo ao mar",
  ],
  "made to work to pay the journey, kept in until paying, sold": [
    "they say I must work for them to pay the trip",
    "ils disent qu'elle doit travailler pour eux pour payer le voyage",
    "he doesn't let us out of the house until we pay",
    "il menace de me vendre à des hommes",
    "dice que me va a vender",
    "o patrão diz que vai me vender",
  ],
  "a passport kept or the door locked, never going out": [
    "la patronne garde mon passeport et je ne sors jamais",
    "la porte est fermée à clé et on ne sort jamais",
  ],
  "sick or weak and no longer able to stand": [
    "three of us have diarrhea and one can't stand up anymore",
    "il vomit depuis hier et ne tient plus debout",
    "كيتقيا من الصباح وما بقاش قادر يوقف",
    "vomita mucho y ya no puede ponerse de pie",
    "tem vômitos e já não consegue ficar de pé",
    "the kids are very weak, they cannot stand",
  ],
  "blood from the head, breathing very hard, fallen and eyes closed": [
    "الدم كيخرج ليه من راسو بزاف",
    "elle respire très fort depuis une heure",
    "ختي طاحت فالحمام وما كتحلش عينيها",
  ],
  "a child being touched": [
    "a man keeps touching my 10 year old daughter",
    "le voisin touche ma fille de 9 ans quand je travaille",
    "un hombre está tocando a mi hija de 11 años",
  ],
  "beaten again tonight": [
    "il m'a encore frappée ce soir",
    "راجلي ضربني عاوتاني هاد الليلة",
    "me volvió a pegar esta noche",
  ],
  "waters broken or labour pains, in Darija": [
    "mrati t9te3 lha lma w sbitar b3id",
    "تقطع ليها الما ومازال ما جات الطوموبيل",
    "أنا فالشهر التاسع والوجع بدا عليا",
  ],
  "attackers' threat to burn your house": [
    "قالو لينا خويو الحي ولا غادي نحرقو عليكم الدار",
    "they told us leave or we will burn your house",
  ],
  "rat poison swallowed": [
    "sahbi chrb dwa dyal l far",
  ],
};

const calm: Record<string, string[]> = {
  "land or goods sold, not a person": [
    "my brothers want to sell the land of my late father without my signature",
    "الخوت باعوها الأرض ديال الورث بلا ما يقولو ليا",
    "khouti bghaw ybi3ouha, dar dyal lwalid f nador",
    "I want to sell my phone to pay the rent",
  ],
  "a family with children, not a child alone": [
    "my friend is 25 and he is alone in agadir, he needs a job",
    "estamos solos con tres niños y no tenemos comida",
    "expulsés hier, nos affaires sont dans la rue, on a deux enfants de 4 et 7 ans",
    "je suis à la rue avec mes 3 enfants depuis hier",
    "depuis que j'ai perdu mon petit boulot je n'ai plus rien",
    "mon mari est parti il y a un an, plus de nouvelles, je vis avec ma fille de 3 ans",
  ],
  "said to be past, or harmless words": [
    "Ce n'est pas urgent : j'ai été violée pendant la route, je voudrais parler à une psychologue",
    "البرد كيقتلنا فالزنقة، بغينا غطا",
    "I am tired of this life here, I want to go back home with IOM",
    "3yit mn had l7ayat, bghit nrje3 l bladi",
    "mon père a eu un AVC il y a deux ans, il lui faut un fauteuil roulant",
    "je travaille pour la saison du poisson, je peux continuer mes médicaments là-bas ?",
    "wladi bghaw ydkhlo l madrasa, chno l wra9 li khasshom",
    "je suis enceinte de 4 mois, pas de saignement, mais je vomis beaucoup",
    "my wife lost the pregnancy two weeks ago and she still has pain, where is a free clinic",
    "ma femme a perdu le bébé il y a 3 semaines, elle a encore des douleurs",
  ],
  "locked or phones, not confinement": [
    "I lock the door from inside at night because the area is not safe",
    "my phone was taken by the police at the border last year, how to get it back",
    "la patronne garde mon passeport et je veux partir, je suis pas payée depuis 2 mois",
  ],
  "work and chemicals without signs": [
    "je travaille à traiter les serres, est-ce qu'ils doivent me donner un masque ?",
    "I work spraying pesticides in Biougra, how much is the legal salary",
  ],
  "fever, insulin, pregnancy without danger signs": [
    "ma fille a de la fièvre depuis hier, où trouver un pédiatre ?",
    "my insulin will finish next week, where can I get it free",
    "je suis enceinte de 5 mois et j'ai mal au dos, où faire l'échographie",
    "minha esposa está grávida e tem os pés inchados, qual hospital",
  ],
  "coming back, not a threat": [
    "the social worker said she will come back tomorrow with the papers",
    "mon mari va revenir ce soir du travail, je cherche un cours de français",
    "ils ont dit de revenir demain pour le rendez-vous",
  ],
  "a minor who is not crossing or alone": [
    "mon fils a 15 ans, il veut apprendre à nager, il y a une piscine à Agadir ?",
    "My daughter is 17, she came alone from Sudan and now she is with me in Oujda",
    "je dois venir avec ma fille ou seule au rendez-vous ?",
  ],
  "over, or not danger": [
    "je suis tombé du vélo la semaine dernière, j'ai encore la jambe gonflée",
    "j'ai eu des saignements la semaine dernière pendant ma grossesse, maintenant ça va",
    "3andi wja3 kbir f dahri, fin nl9a tbib",
    "lm3lm kaydrbna f chantier, lbare7 drb wa7d, dba mzyan, bghina nchkiw",
    "I want to disappear from this city and start again in Rabat, any work?",
  ],
  "looking for work, not for me": [
    "خويا كيقلب على خدمة فأكادير، عندكم شي حاجة؟",
    "kay9lbo 3la khdma f lfla7a",
  ],
  "minor, phone, older people without danger": [
    "mon fils de 15 ans a cassé son téléphone, le téléphone ne s allume plus, où le réparer ?",
    "my son is 12, he goes to the Quran school with an old man from the mosque, his grandfather",
  ],
  "mouth, breath, cold, asthma, heart without a crisis": [
    "j'ai une dent de travers, je cherche un dentiste",
    "je suis asthmatique, ma ventoline est finie, où en acheter pas cher ?",
    "il fait très froid la nuit, on a besoin de couvertures",
    "my heart is beating fast when I am stressed, I want a psychologist",
    "ألم في الصدر عند صعود الدرج فقط، أريد موعدا مع طبيب",
  ],
  "over or routine, not danger now": [
    "they robbed me at knife point last night but I'm ok, just a scratch, can I file a complaint?",
    "my husband was taken and sent to the south last week, I need milk for the baby",
    "تحرقت فيدي بالزيت من أسبوع، بغيت فين نداوي",
    "عندي شوية ديال الحريق فراسي، بغيت طبيب",
    "lboulis galo lia ghadi ytrdoni mn lmaghrib, wach 3ndi l7e9?",
    "please pay the rent before you go out of the apartment, said the landlord",
  ],
  "negated wishes, a tooth that hurts, a teacher, a woman who came": [
    "kaydrni rasi mn lbar7, bghit tbib",
    "I don't want to die, I want to talk to a psychologist",
    "I don't want to hurt myself but I can't sleep",
    "الأستاذ كيضربها فالقسم، بغيت نبدلها المدرسة",
    "jat wa7da kat9ol 3ndha khdma l bnt 15 3am, wach mzyan?",
    "جات وحدة كتقول عندها خدمة لبنتي اللي عندها 15 عام",
  ],
  "with adults, taken by the police, ending work, going home": [
    "un garçon de 15 ans est avec nous depuis la forêt, il veut aller à l'école",
    "the police took my brother at the checkpoint and sent him to the south",
    "غادي نسالي الخدمة الليلة ونمشي ندوش",
    "nsali lkhdma lyoum w nji",
    "I don't want to be here anymore, I want to go back home to Guinea",
  ],
  "joining the living, a bit of diarrhoea, pills from the doctor, a phone off without danger": [
    "ça sert à rien de continuer le dossier ce soir, je suis fatigué de tout",
    "je veux rejoindre mon mari en France, il a des papiers",
    "mon bébé a un peu de diarrhée, quel médicament?",
    "j'ai gardé les médicaments du médecin dans la main",
    "my phone is off because I have no credit, my friend is missing me",
    "wach ntoma tab3in l dawla?",
  ],
  "past, found, travel, shopping, children with parents": [
    "a man was walking behind me last year in Algeria, now I am safe",
    "my sister came back home, her phone was off because the battery died",
    "je veux partir rejoindre mon frère en Espagne",
    "je cherche des produits de ménage pas chers",
    "I need a cleaning product for the room",
    "3 drari sghar m3a waldihom f lmahatta, bghaw ymchiw l madrasa",
  ],
  "water cut, bosses, a sick friend who still stands, a child touching a stove": [
    "t9te3 3lina lma f dar mn lbare7, fin n9dro nchriw lma?",
    "I can't stand my boss anymore, he shouts all day",
    "my friend is very sick since yesterday, he vomits and cannot stand up, where is a clinic",
    "my 10 year old son keeps touching the hot stove",
  ],
  "beaten in the past, held by the police, a child lost last year": [
    "زوجي كان كيضربني في الماضي، دابا طلقت وبغيت خدمة",
    "mon mari me frappait dans le passé, maintenant on est séparés et je cherche un travail",
    "lbulis 7bsouni 3 ayam f commissariat, bghit n3rf 7o9o9i",
    "since I lost my son last year I cannot sleep, I need someone to talk to",
    "desde que perdí a mi hijo el año pasado no duermo",
  ],
};

describe("urgent phrase families", () => {
  for (const [family, texts] of Object.entries(danger)) {
    describe(family, () => {
      for (const text of texts) it(`urgent: ${text}`, () => expect(triage().analyse(text).urgent).toBe(true));
    });
  }
});

describe("near misses that are not danger now", () => {
  for (const [family, texts] of Object.entries(calm)) {
    describe(family, () => {
      for (const text of texts) it(`calm: ${text}`, () => expect(triage().analyse(text).urgent).toBe(false));
    });
  }
});
