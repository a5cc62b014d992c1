"""The words a brief is written in, per field: chip values, their synonyms and the nouns that
own them.

A term is a regular expression (matched case-insensitively, on word boundaries) and the chip
value it stands for. Most descriptive words are ambiguous until we know what they describe
("brown" eyes, skin or hair; "straight" hair or nose; "thin" lips, brows or build), so a term
is placed only when its clause's nearest owner noun ("eyes", "skin", "hair", …) is its field's
— unless it is marked `alone`, meaning it names its field by itself ("freckles", "goatee",
"blonde", "monolids").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    pattern: str
    value: str
    alone: bool = False


def _terms(pairs, *, alone: bool = False) -> tuple[Term, ...]:
    return tuple(Term(pattern, value, alone) for pattern, value in pairs)


# Owner nouns: which kind of thing the words before (or after) them describe.
OWNERS: dict[str, str] = {
    r"hair|hairs|locks|mane|waves|curls|coils|bob|braids|plaits|locs|dreadlocks|dreads|"
    r"ponytail|pony|bun|updo|crop|pixie|fringe|bangs|fade|cornrows|afro|haircut|hairstyle|braid|"
    r"hairline|twists": "hair",
    r"eyes|eye|irises|iris|eyed": "eyes",
    r"skin|complexion|skin tone|skintone|undertones?|skinned": "skin",
    r"brows|eyebrows|brow|eyebrow": "brows",
    r"beard|stubble|moustache|mustache|goatee|facial hair|sideburns": "beard",
    r"lips|lip|lipstick|mouth|pout": "lips",
    r"nose": "nose",
    r"face|jaw|jawline|cheekbones|chin|features": "face",
    r"smile|grin|smiling": "smile",
    r"expression|look|energy|vibe|mood|demeanou?r|attitude|presence": "expression",
    r"build|frame|figure|physique|body|body type": "build",
    r"makeup|make-up|make up|liner|eyeliner|eyeshadow|lashes|mascara": "makeup",
}

# Which owner each field's non-`alone` terms need.
FIELD_OWNER: dict[str, str | None] = {
    "appearance.skin": "skin",
    "appearance.skin_undertone": "skin",
    "appearance.build": "build",
    "appearance.expression": "expression",
    "face.eyes": "eyes",
    "face.eyebrows": "brows",
    "face.nose": "nose",
    "face.lips": "lips",
    "face.smile": "smile",
    "face.face_shape": "face",
    "face.facial_hair": "beard",
    "face.makeup": "makeup",
    "hair.color": "hair",
    "hair.length": "hair",
    "hair.style": "hair",
}

_EYE_HUES = ("blue", "green", "grey", "gray", "hazel", "brown", "amber")


def _eye_compounds() -> list[tuple[str, str]]:
    # In "blue-green" the last colour is the head word: a green with blue in it.
    canonical = {"gray": "grey"}
    return [
        (rf"{first}[- ]{second}", canonical.get(second, second))
        for first in _EYE_HUES
        for second in _EYE_HUES
        if first != second and {first, second} != {"grey", "gray"}
    ]


TERMS: dict[str, tuple[Term, ...]] = {
    "appearance.skin": _terms(
        [
            (r"porcelain|alabaster|very pale|very fair|ivory", "porcelain"),
            (r"pale|fair", "fair"),
            (r"light[- ]medium|light to medium", "light-medium"),
            (r"light olive|medium olive|olive|olive[- ]toned", "olive"),
            (r"light|light[- ]toned", "light"),
            (r"medium|beige", "medium"),
            (r"tan|tanned|sun-?kissed|bronzed?|caramel|honey|light tan|medium tan|deep tan", "tan"),
            (r"medium brown|brown|light brown|golden brown", "brown"),
            (r"deep brown|dark brown|rich brown|chocolate", "deep brown"),
            (r"deep|dark|very dark|ebony|espresso|rich dark", "deep"),
        ]
    )
    + _terms(
        [
            (r"olive[- ]skinned", "olive"),
            (r"dark[- ]skinned", "deep"),
            (r"fair[- ]skinned", "fair"),
            (r"pale[- ]skinned", "fair"),
            (r"light[- ]skinned", "light"),
            (r"brown[- ]skinned", "brown"),
            (r"porcelain", "porcelain"),
            (r"very pale", "porcelain"),
            (r"fair", "fair"),
        ],
        alone=True,
    ),
    "appearance.skin_undertone": _terms(
        [
            (r"warm|warm[- ]toned", "warm"),
            (r"cool|cool[- ]toned", "cool"),
            (r"neutral", "neutral"),
            (r"golden", "golden"),
            (r"pink|rosy", "pink"),
            (r"peachy?", "peach"),
            (r"yellow", "yellow"),
        ]
    ),
    "appearance.build": _terms(
        [
            (r"slim|slender|skinny|willowy|svelte", "slim"),
            (r"lean|lanky|wiry", "lean"),
            (r"athletic|sporty|athletic[- ]built|fit", "athletic"),
            (r"toned", "toned"),
            (r"average|medium build|regular build", "average"),
            (r"curvy|curvaceous|hourglass|voluptuous", "curvy"),
            (
                r"plus[- ]size|plus[- ]sized|full[- ]figured|curve model|fuller[- ]figured",
                "plus-size",
            ),
            (r"muscular|broad[- ]shouldered|broad shoulders|built|brawny|strapping", "muscular"),
        ],
        alone=True,
    )
    + _terms([(r"thin", "slim")]),
    "appearance.expression": _terms(
        [
            (r"neutral|blank", "neutral"),
            (r"confident|self-assured|assured|bold", "confident"),
            (r"relaxed|easygoing|easy-going|laid[- ]back|at ease", "relaxed"),
            (r"serene|calm|peaceful|tranquil|composed|soft-spoken", "serene"),
            (r"warm|kind|gentle|kindly", "warm"),
            (r"friendly|approachable|open|welcoming|inviting", "friendly"),
            (r"serious|stern|intense|moody|brooding|unsmiling|severe", "serious"),
            (r"focused|thoughtful|pensive|contemplative|determined", "focused"),
            (r"playful|cheeky|mischievous|fun|joyful|cheerful|happy|bubbly", "playful"),
            (r"editorial|high[- ]fashion|fierce|striking", "editorial"),
        ],
        alone=True,
    ),
    "face.eyes": _terms(
        [
            (r"pale blue|light blue|icy blue|ice blue|ice-blue|icy|baby blue|pale", "pale blue"),
            (r"blue|bright blue|deep blue|dark blue|sky blue|steel blue", "blue"),
            (r"green|emerald|olive green|jade", "green"),
            (r"hazel", "hazel"),
            (r"amber|honey|golden|whiskey|whisky", "amber"),
            (r"light brown|golden brown|honey brown|warm brown", "light brown"),
            (r"brown|medium brown", "brown"),
            (r"dark brown|deep brown|chocolate brown|chocolate|black|espresso|dark", "dark brown"),
            (r"grey|gray|silver|slate grey|stormy grey", "grey"),
            (r"almond[- ]shaped|almond", "almond-shaped"),
            (r"hooded", "hooded"),
            (r"round|wide[- ]set|big|large", "round"),
            (r"deep[- ]set", "deep-set"),
            (r"monolid|monolids|monolidded", "monolid"),
        ]
        + _eye_compounds()
    )
    + _terms(
        [
            (r"blue[- ]eyed", "blue"),
            (r"green[- ]eyed", "green"),
            (r"brown[- ]eyed", "brown"),
            (r"grey[- ]eyed|gray[- ]eyed", "grey"),
            (r"hazel[- ]eyed", "hazel"),
            (r"almond[- ]shaped eyes", "almond-shaped"),
            (r"monolids?|monolidded", "monolid"),
            (r"hooded eyes|hooded lids", "hooded"),
            (r"deep[- ]set eyes", "deep-set"),
        ],
        alone=True,
    ),
    "face.eyebrows": _terms(
        [
            (r"natural|natural[- ]looking|untouched|groomed", "natural"),
            (r"arched|high[- ]arched|defined arch|arch", "natural arched"),
            (r"soft[- ]arched|softly arched|soft arch|gently arched", "soft arched"),
            (r"straight|flat|horizontal", "straight"),
            (r"thick|strong|bold|heavy|dark thick", "thick"),
            (r"full|fluffy|lush", "full"),
            (r"bushy|unruly|untamed", "bushy"),
            (r"thin|fine|pencil[- ]thin|sparse|skinny", "thin"),
            (r"feathered|brushed[- ]up|laminated|fluffy brushed", "feathered"),
            (r"bleached|blonde|light", "bleached"),
        ]
    ),
    "face.nose": _terms(
        [
            (r"straight", "straight"),
            (r"small|petite|delicate|dainty", "small"),
            (r"button", "button"),
            (r"upturned|turned[- ]up|ski[- ]slope", "upturned"),
            (r"aquiline|hooked|beaked", "aquiline"),
            (r"roman", "Roman"),
            (r"broad", "broad"),
            (r"wide|flat", "wide"),
            (r"narrow|thin|slim|slender|sharp", "narrow"),
            (r"snub", "snub"),
        ]
    ),
    "face.lips": _terms(
        [
            (r"thin", "thin"),
            (r"medium", "medium"),
            (r"full|fuller|generous|lush", "full"),
            (r"plump|pillowy|bee[- ]stung", "plump"),
            (r"wide", "wide"),
            (r"heart[- ]shaped", "heart-shaped"),
        ]
    )
    + _terms(
        [(r"defined cupid'?s bow|pronounced cupid'?s bow|cupid'?s bow", "defined cupid's bow")],
        alone=True,
    ),
    "face.smile": _terms(
        [
            (r"no smile|not smiling|unsmiling|without a smile|straight[- ]faced", "no smile"),
            (r"closed[- ]lip(?:ped)? smile|closed[- ]mouth smile|lips closed", "closed-lip smile"),
            (
                r"(?:soft|gentle|warm|kind|friendly|playful|sweet|subtle|easy|relaxed|natural)"
                r" smile|smiling softly",
                "soft smile",
            ),
            (
                r"slight smile|hint of a smile|half[- ]smile|faint smile|small smile|smirk",
                "slight smile",
            ),
            (
                r"(?:wide|big|broad|beaming|bright|open|huge|megawatt|radiant) smile|grin|grinning"
                r"|easy grin|beaming",
                "wide smile",
            ),
            (r"toothy smile|smile showing (?:her|his|their)? ?teeth|teeth showing", "toothy smile"),
            (
                r"gap[- ]toothed(?: smile)?|gap in (?:her|his|their) (?:front )?teeth|tooth gap",
                "gap-toothed smile",
            ),
            (r"dimples|dimpled(?: smile| cheeks)?|dimple", "dimples"),
        ],
        alone=True,
    ),
    "face.face_shape": _terms(
        [
            (r"oval", "oval"),
            (r"round|rounded|full", "round"),
            (r"square|squared|angular", "square"),
            (r"heart[- ]shaped|heart", "heart"),
            (r"diamond[- ]shaped|diamond", "diamond"),
            (r"oblong|long|narrow", "oblong"),
        ]
    )
    + _terms(
        [
            (
                r"high cheekbones|sharp cheekbones|prominent cheekbones|sculpted cheekbones",
                "high cheekbones",
            ),
            (
                r"strong jaw(?:line)?|sharp jaw(?:line)?|chiselled jaw(?:line)?|chiseled jaw(?:line)?"
                r"|defined jaw(?:line)?|angular jaw(?:line)?|square jaw(?:line)?",
                "strong jawline",
            ),
            (r"soft jaw(?:line)?|rounded jaw(?:line)?|gentle jaw(?:line)?", "soft jawline"),
            (r"oval face|oval-shaped face", "oval"),
            (r"round face", "round"),
            (r"square face", "square"),
            (r"heart[- ]shaped face", "heart"),
        ],
        alone=True,
    ),
    "face.facial_hair": _terms(
        [
            (
                r"clean[- ]shaven|no facial hair|no beard|freshly shaved|smooth[- ]shaven",
                "clean-shaven",
            ),
            (
                r"(?:light|heavy|faint|short|designer) stubble|stubble|scruff|stubbled"
                r"|(?:five|5) o'?clock shadow",
                "stubble",
            ),
            (
                # One word may sit between: "a neatly trimmed white beard".
                r"(?:short|trimmed|neat|neatly trimmed|cropped|close[- ]cropped|tidy|groomed"
                r"|well[- ]groomed|short[- ]cropped)(?:\s+[a-z-]+)?\s+beard",
                "short beard",
            ),
            (
                r"(?:full|thick|long|bushy|big|heavy|lumberjack|full[- ]grown)(?:\s+[a-z-]+)?"
                r"\s+beard|full beard kept neat",
                "full beard",
            ),
            (
                r"(?:well[- ]groomed|neat|neatly trimmed|trimmed) (?:moustache|mustache)"
                r"|moustache|mustache|mustached|moustached",
                "moustache",
            ),
            (r"(?:neat|neatly trimmed|trimmed|small|short) goatee|goatee|van dyke", "goatee"),
            (r"beard|bearded", "beard"),
        ],
        alone=True,
    ),
    "face.makeup": _terms(
        [
            (
                r"no make-?up(?: at all)?|make-?up[- ]free|bare[- ]faced|barefaced"
                r"|without make-?up",
                "no makeup",
            ),
            (
                r"natural minimal(?: make-?up)?|minimal make-?up|natural make-?up|barely[- ]there"
                r" make-?up|no-make-?up make-?up|clean make-?up|fresh[- ]faced|light make-?up",
                "natural minimal",
            ),
            (
                r"dewy|glowing skin|glowy|luminous skin|glass skin|dewy skin|dewy make-?up"
                r"|dewy finish",
                "dewy",
            ),
            (r"matte(?: finish| skin| make-?up)?|slight matte finish", "matte"),
            (r"soft glam|full glam|glam make-?up|glamorous make-?up", "soft glam"),
            (
                r"bold lips?|statement lips?|bold lipstick|dark lips?|berry lips?|plum lips?",
                "bold lip",
            ),
            (
                r"(?:bold |classic |bright )?(?:red|scarlet|crimson) (?:lips?|lipstick)",
                "red lip",
            ),
            (r"smok(?:e)?y eyes?|smok(?:e)?y eye make-?up|smudged liner", "smoky eye"),
            (
                r"winged (?:eye)?liner|cat[- ]eye(?: liner)?|winged eye|flicked liner|eyeliner flick"
                r"|winged liner|graphic liner",
                "winged eyeliner",
            ),
            (r"glossy lids|glossy eyelids|wet[- ]look lids", "glossy lids"),
        ],
        alone=True,
    ),
    "hair.color": _terms(
        [
            (r"black|dark|raven|inky|ink[- ]black|blue[- ]black", "black"),
            (r"jet[- ]black|jet|pitch[- ]black", "jet-black"),
            (
                r"dark brown|deep brown|espresso|chocolate|brunette|dark brunette|chocolate brown"
                r"|dark espresso|dark chocolate|deep espresso",
                "dark brown",
            ),
            (r"brown|medium brown|mid[- ]brown", "brown"),
            (
                r"light brown|mousy|mousy brown|caramel|light brunette|soft brown|honey brown",
                "light brown",
            ),
            (r"chestnut|chestnut brown|mahogany", "chestnut"),
            (r"auburn", "auburn"),
            (r"red|ginger|fiery red|bright red", "red"),
            (r"copper|coppery|copper red", "copper"),
            (r"strawberry[- ]blonde?", "strawberry blonde"),
            (
                r"platinum|platinum[- ]blonde?|white[- ]blonde?|icy blonde?|bleached|bleached blonde?",
                "platinum blonde",
            ),
            (
                r"ash[- ]?blonde?|ashy blonde?|dirty blonde?|dark blonde?|sandy blonde?|sandy",
                "ash blonde",
            ),
            (r"golden blonde?|honey blonde?|golden|butter blonde?|sunny blonde?", "golden blonde"),
            (r"blonde?|fair|light blonde?", "blonde"),
            (r"grey|gray|greying|graying|grizzled", "grey"),
            # Kept as written: painters and photo engines draw it as grey mixed into a dark base.
            (r"salt[- ]and[- ]pepper|pepper[- ]and[- ]salt|salt[- ]n[- ]pepper", "salt and pepper"),
            (r"silver|silvery|silver[- ]grey|silver[- ]gray", "silver"),
            (r"white|snow[- ]white|snowy", "white"),
        ]
    )
    + _terms(
        [
            (r"redhead|red[- ]haired|ginger", "red"),
            (r"strawberry[- ]blonde?", "strawberry blonde"),
            (r"platinum[- ]blonde?|platinum|white[- ]blonde?", "platinum blonde"),
            (r"ash[- ]?blonde?", "ash blonde"),
            (r"golden blonde?|honey blonde?", "golden blonde"),
            (r"blonde|blond", "blonde"),
            (r"brunette", "dark brown"),
            (r"auburn", "auburn"),
            (r"chestnut", "chestnut"),
        ],
        alone=True,
    ),
    "hair.length": _terms(
        [
            (r"shaved|shaven|bald", "shaved"),
            (r"buzz(?:ed)?(?: cut)?|buzzcut|clipper[- ]cut", "buzz cut"),
            (
                r"cropped|close[- ]cropped|crew[- ]cut|crop|cut close|close[- ]cut|cropped close"
                r"|cropped short",
                "cropped",
            ),
            (r"short|short[- ]cropped|cut short", "short"),
            (r"chin[- ]length|jaw[- ]length|chin length|jaw length", "chin-length"),
            (r"shoulder[- ]length|shoulder length|collarbone[- ]length|lob", "shoulder-length"),
            (r"medium[- ]length|mid[- ]length|medium length|medium", "medium"),
            (r"long|longer", "long"),
            (r"very long|waist[- ]length|hip[- ]length|extra long|floor[- ]length", "very long"),
        ]
    )
    + _terms(
        [
            (r"shaved head|bald|bald head|shaved scalp|clean[- ]shaven head", "shaved"),
            (r"buzz cut|buzzcut|buzzed", "buzz cut"),
            (r"close[- ]cropped", "cropped"),
            (
                r"(?:to|past|grazing|brushing|skimming) (?:her|his|their|the) shoulders",
                "shoulder-length",
            ),
            (r"shoulder[- ]length", "shoulder-length"),
            (r"chin[- ]length", "chin-length"),
            (r"(?:to|past) (?:her|his|their|the) waist|waist[- ]length", "very long"),
            # Where the hair ends, by what it reaches: the shirt collar sits at the nape, about
            # where a chin-length cut ends at the back; the collarbones are shoulder height.
            (
                r"(?:just |right )?(?:above|at|to|touching|brushing|grazing|skimming)"
                r" (?:her|his|their|the) (?:collar|chin|jaw|jawline)|collar[- ]length",
                "chin-length",
            ),
            (
                r"(?:just )?(?:past|below|over) (?:her|his|their|the) collar"
                r"|(?:just )?(?:to|past|grazing|brushing|skimming|touching|above)"
                r" (?:her|his|their|the) collarbones?",
                "shoulder-length",
            ),
        ],
        alone=True,
    ),
    "hair.style": _terms(
        [
            (r"straight|sleek|poker[- ]straight|pin[- ]straight", "straight"),
            (r"wavy|waves|beach waves|loose waves|tousled waves|soft waves|wave", "wavy"),
            (r"curly|curls|ringlets|spiral curls|tight curls", "curly"),
        ]
    )
    + _terms(
        [
            (r"wavy|beach waves|loose waves|soft waves|tousled waves", "wavy"),
            (r"curly|ringlets", "curly"),
            (r"coily|coils|kinky|4[abc] (?:hair|coils|curls)|4[abc]|type 4", "coily"),
            (r"afro|natural afro|big afro|'fro", "afro"),
            (
                r"box braids|braids|braid|braided|cornrows|plaits|plait|plaited|knotless braids",
                "braids",
            ),
            (r"undercut|under-cut", "undercut"),
            (r"locs|dreadlocks|dreads|faux locs|sisterlocks", "locs"),
            (r"bob|blunt bob|lob|bob cut|bobbed", "bob"),
            (r"pixie(?: cut)?|pixie crop", "pixie cut"),
            (r"slicked[- ]back|slicked|swept back|combed back|brushed back", "slicked back"),
            (
                r"middle part|center part|centre part|parted in the (?:middle|centre|center)"
                r"|centre[- ]parted|center[- ]parted|middle[- ]parted",
                "middle part",
            ),
            (r"side part|side[- ]parted|parted (?:on|to) the side|deep side part", "side part"),
            (r"bangs|fringe|blunt bangs|blunt fringe|full fringe|full bangs|baby bangs", "bangs"),
            (r"curtain bangs|curtain fringe", "curtain bangs"),
            (r"ponytail|pony tail|(?:high|low|sleek) (?:pony|ponytail)", "ponytail"),
            (r"low bun|chignon|bun at the nape|loose low bun|low chignon|bun", "low bun"),
            (r"top knot|topknot|high bun|sleek high bun|top-knot|man bun", "top knot"),
        ],
        alone=True,
    ),
}

GENDERS = (
    (r"non[- ]?binary|enby|genderqueer|gender[- ]fluid|gender[- ]neutral", "non-binary"),
    (r"woman|women|female|girl|lady|ladies|she|her|hers|herself|womanswear|she's", "female"),
    (r"man|men|male|guy|gentleman|boy|he|his|him|himself|menswear|he's|bloke|dude", "male"),
    (r"androgynous|androgyne|gender[- ]ambiguous", "androgynous"),
)
# Words that carry a gender the way "woman" does, checked after the nouns.
GENDERED_HERITAGE = {"latina": "female", "latino": "male", "filipina": "female"}

HERITAGE: dict[str, str] = {
    "north european|northern european|scandinavian|nordic|swedish|norwegian|danish|finnish|"
    "icelandic|dutch|german|british|english|irish|scottish|welsh|celtic": "North European",
    "south european|southern european|mediterranean|italian|spanish|greek|portuguese|"
    "sicilian": "South European",
    "east european|eastern european|slavic|polish|russian|ukrainian|czech|romanian|"
    "hungarian|serbian|croatian|bulgarian|baltic": "East European",
    "east asian|chinese|japanese|korean|mongolian|taiwanese|han chinese": "East Asian",
    "south asian|indian|pakistani|bangladeshi|sri lankan|nepali|nepalese|punjabi|"
    "tamil|desi": "South Asian",
    "southeast asian|south-east asian|south east asian|filipino|filipina|vietnamese|thai|"
    "indonesian|malaysian|cambodian|burmese|laotian": "Southeast Asian",
    "middle eastern|middle-eastern|lebanese|persian|iranian|arab|arabic|syrian|iraqi|"
    "jordanian|palestinian|emirati|saudi|kurdish|turkish": "Middle Eastern",
    "north african|moroccan|algerian|tunisian|egyptian|libyan|amazigh|berber": "North African",
    "west african|nigerian|ghanaian|senegalese|ivorian|malian|cameroonian|yoruba|igbo|"
    "liberian|sierra leonean": "West African",
    "east african|ethiopian|eritrean|kenyan|somali|ugandan|tanzanian|rwandan|sudanese|"
    "habesha": "East African",
    "afro-caribbean|afro caribbean|caribbean|jamaican|trinidadian|haitian|barbadian|bajan": (
        "Afro-Caribbean"
    ),
    "pacific islander|samoan|tongan|maori|māori|fijian|hawaiian|polynesian|melanesian": (
        "Pacific Islander"
    ),
    "indigenous american|native american|first nations|indigenous|navajo|cherokee|"
    "quechua|inuit": "Indigenous American",
    "latina|latino|latinx|latine|hispanic|mexican|brazilian|colombian|argentinian|argentine|"
    "peruvian|chilean|venezuelan|cuban|puerto rican|dominican|ecuadorian": "Latin",
}

# Words that carry no brief content: glue, pronouns, casting-call phrasing. Left over, they
# do not make a clause worth returning as unplaced text.
# fmt: off
GLUE = frozenset((
    "a", "an", "the", "and", "or", "of", "in", "into", "to", "on", "at", "for", "is", "are",
    "be", "been", "being", "should", "would", "could", "must", "her", "his", "their", "its",
    "she", "he", "they", "them", "him", "it", "this", "that", "these", "those", "who", "whom",
    "which", "as", "so", "very", "really", "quite", "slightly", "somewhat", "bit", "little",
    "some", "any", "our", "we", "us", "i", "you", "your", "want", "wants", "looking", "look",
    "for", "someone", "somebody", "person", "model", "models", "type", "kind", "sort", "please",
    "ideally", "maybe", "perhaps", "around", "about", "approximately", "roughly", "just", "also",
    "too", "both", "either", "has", "have", "having", "had", "keep", "kept", "worn", "wearing",
    "wears", "sporting", "sports", "styled", "style", "styles", "over", "there", "here",
    "actually", "definitely", "more", "less", "than", "then", "same", "casting", "think",
    "need", "needs", "seeking", "wanted", "we're", "we'd", "i'd", "i'm", "like", "love",
    "she's", "he's", "they're", "after",
))
# fmt: on
